using System.Text.Json;
using Watchlog.Catalog;

namespace Watchlog.Tests.Search;

/// <summary>
/// A small catalog built for the relevance rules: each title is here to prove one rule, with popularity set so that
/// the rule, not popularity, decides the order (the popular decoy is always the one that must lose).
/// </summary>
public static class SearchFixture
{
    static CatalogEntry M(string id, string title, int year, double popularity, params string[] regions) => new()
    {
        Id = id, Kind = "movie", Title = title, Year = year, Popularity = popularity, RuntimeMin = 100,
        Regions = regions.Length == 0 ? null : regions.ToList(),
    };

    static CatalogEntry S(string id, string title, int year, double popularity, params string[] regions) => new()
    {
        Id = id, Kind = "series", Title = title, Year = year, Popularity = popularity,
        Regions = regions.Length == 0 ? null : regions.ToList(),
    };

    public static CatalogEntry[] Entries()
    {
        var breakingBad = S("breaking-bad", "Breaking Bad", 2008, 100, "US");
        breakingBad.Network = "AMC";
        breakingBad.RuntimeMin = 47;
        breakingBad.Genres = ["Drama", "Crime"];
        breakingBad.People = [new PersonEntry { Name = "Bryan Cranston", Character = "Walter White" }];
        breakingBad.Platforms = [new PlatformEntry { Name = "Netflix", Region = "US" }];

        var amelie = M("amelie", "Amélie", 2001, 20, "FR");
        amelie.OriginalTitle = "Le Fabuleux Destin d'Amélie Poulain";
        amelie.Poster = "/amelie.jpg";
        amelie.Genres = ["Comedy", "Romance"];

        var robots = S("ldr", "Love, Death & Robots", 2019, 60, "US");
        robots.Network = "Netflix";

        var decoyOverview = M("robot-doc", "Metal Friends", 2015, 95, "US");
        decoyOverview.Overview = "A documentary about robots that build robots.";

        var global = M("global", "Nowhere Special", 2020, 5);            // no region information: GLOBAL
        global.Poster = "https://img.example/nowhere.jpg";
        global.Platforms = null;

        var noNetwork = M("no-network", "Platform Only", 2022, 7, "GB");
        noNetwork.Platforms = [new PlatformEntry { Name = "BBC iPlayer", Region = "GB" }, new PlatformEntry { Name = "Netflix", Region = "US" }];

        var series = S("episodic", "Episodic Tales", 2018, 8, "US");
        series.Seasons = [new SeasonEntry { Number = 1, Episodes = [
            new EpisodeEntry { Number = 1, RuntimeMin = 30 }, new EpisodeEntry { Number = 2, RuntimeMin = 42 }, new EpisodeEntry { Number = 3, RuntimeMin = 44 }] }];

        return
        [
            breakingBad,
            M("breaking-away", "Breaking Away", 1979, 3, "US"),
            M("spider-man", "Spider-Man", 2002, 50, "US"),
            M("nwh", "Spider-Man: No Way Home", 2021, 80, "US"),
            amelie,
            M("walle", "WALL·E", 2008, 40, "US"),
            robots,
            decoyOverview,
            M("schindler", "Schindler's List", 1993, 30, "US"),
            M("dune-1984", "Dune", 1984, 10, "US"),
            M("dune-2021", "Dune", 2021, 90, "US"),
            S("dune-2000", "Dune", 2000, 5, "US"),
            M("love", "Love", 2015, 0.5, "US"),
            M("love-actually", "Love Actually", 2003, 60, "US"),
            M("strange-days", "Strange Days", 1995, 1, "US"),
            S("stranger-things", "Stranger Things", 2016, 99, "US"),
            M("mercy", "Mercy", 2014, 1, "US"),
            M("marcy", "Marcy", 2010, 99, "US"),
            M("interstellar", "Interstellar", 2014, 85, "US"),
            S("shield", "Agents of S.H.I.E.L.D.", 2013, 20, "US"),
            M("home-a", "Home", 1990, 5, "US"),
            M("home-b", "Home", 1991, 50, "US"),
            global,
            noNetwork,
            series,
        ];
    }

    public static async Task<Dictionary<string, long>> SeedAsync(TestDb test)
    {
        var entries = Entries();
        var results = await new CatalogWriter(test.Db, TimeProvider.System).Begin("jsonl").WriteAsync(Make.Lines(entries), CancellationToken.None);
        Assert.All(results, r => Assert.NotEqual(RowOutcome.Skipped, r.Outcome));
        return entries.Select((e, i) => (e.Id!, results[i].TitleId)).ToDictionary(x => x.Item1, x => x.Item2);
    }

    public static string[] Titles(JsonElement response) =>
        response.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToArray();

    public static long[] Ids(JsonElement response) =>
        response.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToArray();
}
