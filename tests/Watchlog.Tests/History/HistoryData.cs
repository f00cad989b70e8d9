using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Watchlog.Catalog;

namespace Watchlog.Tests.History;

/// <summary>The catalog the history-import tests match against, with the ids the fixtures must resolve to.</summary>
public sealed class HistoryCatalog
{
    public required IReadOnlyDictionary<string, long> Titles { get; init; }
    public required IReadOnlyDictionary<(long Title, int Season, int Number), long> Episodes { get; init; }

    public long this[string key] => Titles[key];
    public long Ep(string key, int season, int number) => Episodes[(Titles[key], season, number)];
}

public static class HistoryData
{
    static CatalogEntry Movie(string id, string title, int year, string? imdb = null, int? tmdb = null) => new()
    {
        Id = id, Kind = "movie", Title = title, Year = year,
        ExternalIds = imdb is null && tmdb is null ? null : new ExternalIds { Imdb = imdb, Tmdb = tmdb },
    };

    static CatalogEntry Series(string id, string title, int year, ExternalIds? ids, params (int Season, string[] Titles)[] seasons) => new()
    {
        Id = id, Kind = "series", Title = title, Year = year, ExternalIds = ids,
        Seasons = seasons.Select(s => new SeasonEntry
        {
            Number = s.Season,
            Episodes = s.Titles.Select((t, i) => new EpisodeEntry { Number = i + 1, Title = t }).ToList(),
        }).ToList(),
    };

    static CatalogEntry WithGenres(CatalogEntry entry, params string[] genres)
    {
        entry.Genres = [.. genres];
        return entry;
    }

    static string[] Numbered(int count, params (int Number, string Title)[] named) =>
        Enumerable.Range(1, count).Select(n => named.FirstOrDefault(x => x.Number == n).Title ?? $"Episode {n}").ToArray();

    public static async Task<HistoryCatalog> SeedAsync(TestDb test)
    {
        var breakingBad = Series("bb", "Breaking Bad", 2008, new ExternalIds { Imdb = "tt0903747", Tmdb = 1396, Tvdb = 81189 },
            (1, ["Pilot", "Cat's in the Bag..."]), (2, ["Seven Thirty-Seven", "Grilled"]), (5, Numbered(14, (14, "Ozymandias"))));
        breakingBad.Seasons![0].Episodes![0].ImdbId = "tt0959621";
        CatalogEntry[] entries =
        [
            Movie("killbill", "Kill Bill: Vol. 1", 2003, "tt0266697"),
            Movie("glassonion", "Glass Onion: A Knives Out Mystery", 2022),
            Movie("spiderman", "Spider-Man: Far from Home", 2019),
            Movie("dune1984", "Dune", 1984),
            Movie("dune2021", "Dune", 2021, "tt1160419", 438631),
            WithGenres(Movie("heat", "Heat", 1995, "tt0113277", 949), "Crime", "Thriller"),
            Movie("crouching", "Crouching Tiger, Hidden Dragon", 2000),
            Movie("amelie", "Amélie", 2001, "tt0211915"),
            breakingBad,
            Series("avatar", "Avatar: The Last Airbender", 2005, null, (1, ["The Boy in the Iceberg", "The Avatar Returns"])),
            Series("ldr", "Love, Death & Robots", 2019, null, (3, ["Three Robots: Exit Strategies", "Bad Travelling"])),
            Series("gambit", "The Queen's Gambit", 2020, null, (1, ["Openings", "Exchanges"])),
            Series("stranger", "Stranger Things", 2016, null, (4, ["Chapter One: The Hellfire Club", "Chapter Two: Vecna's Curse"])),
            Series("zeroday", "Zero Day", 2025, null, (1, Numbered(6))),
            Series("dark", "Dark", 2017, null, (1, ["Secrets", "Lies"])),
            Series("swat", "S.W.A.T.", 2017, null, (2, ["Fire in the Sky", "Kangaroo"])),
            Series("office-us", "The Office", 2005, null, (1, ["Pilot", "Diversity Day"])),
            Series("office-uk", "The Office", 2001, null, (1, ["Downsized", "Work Experience"])),
            // Finnish and German Netflix files: chapter markers, "osa" for Part, translated and bilingual names, two shows of one name.
            Series("riverdale", "Riverdale", 2017, null, (1, ["Chapter One: The River's Edge", "Chapter Two: A Touch of Evil"]),
                (2, ["Chapter Fourteen: A Kiss Before Dying", "Chapter Fifteen: Nighthawks"])),
            Series("order", "The Order", 2019, null, (1, ["Hell Week, Part 1", "Hell Week, Part 2"])),
            Series("flash2014", "The Flash", 2014, null, (1, ["Pilot", "Fastest Man Alive"])),
            Series("flash1990", "The Flash", 1990, null, (1, ["Pilot", "Out of Control"])),
            Series("carbon", "Altered Carbon", 2018, null, (1, ["Out of the Past", "Fallen Angel"])),
            Series("blacklightning", "Black Lightning", 2018, null, (1, ["The Resurrection"]),
                (2, ["The Book of Consequences: Chapter One: Rise of the Green Light Babies", "The Book of Consequences: Chapter Two: Black Jesus Blues"])),
            Series("titans", "Titans", 2018, null, (1, Numbered(11, (1, "Titans"), (2, "Hawk and Dove"), (11, "Dick Grayson")))),
            new CatalogEntry
            {
                Id = "moneyheist", Kind = "series", Title = "Money Heist", Year = 2017, OriginalTitle = "La casa de papel",
                Aliases = [new AliasEntry { Title = "Haus des Geldes", Region = "DE", Language = "de" }],
                Seasons = [new SeasonEntry { Number = 1, Episodes = [.. Numbered(3).Select((t, i) => new EpisodeEntry { Number = i + 1, Title = t })] }],
            },
        ];
        var results = await new CatalogWriter(test.Db, TimeProvider.System).Begin("test")
            .WriteAsync(Make.Lines(entries), CancellationToken.None);
        var titles = entries.Zip(results).ToDictionary(p => p.First.Id!, p => p.Second.TitleId);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        var episodes = (await conn.QueryAsync<(long Id, long TitleId, int Season, int Number)>("SELECT id, title_id, season_number, number FROM episodes"))
            .ToDictionary(e => (e.TitleId, e.Season, e.Number), e => e.Id);
        return new HistoryCatalog { Titles = titles, Episodes = episodes };
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "History", "Fixtures", name);

    /// <summary>POST /api/imports with the file; returns the response.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this SignedIn user, string format, byte[] content, string fileName, string? profile = null)
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(format), "format");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (profile is not null) form.Add(new StringContent(profile), "profile");
        return await user.Client.PostAsync("/api/imports", form);
    }

    /// <summary>Uploads, expects 202, and waits until the import is done; returns its final status.</summary>
    public static async Task<JsonElement> ImportAsync(this SignedIn user, string format, byte[] content, string fileName, string? profile = null)
    {
        var response = await user.UploadAsync(format, content, fileName, profile);
        var accepted = await WatchlogApp.ExpectAsync(response, HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetInt64();
        Assert.Equal($"/api/imports/{id}", response.Headers.Location?.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await WatchlogApp.ExpectAsync(await user.Client.GetAsync($"/api/imports/{id}"), HttpStatusCode.OK);
            var s = status.GetProperty("status").GetString();
            if (s is "done" or "failed") return status;
            Assert.True(DateTime.UtcNow < deadline, $"import {id} still {s}");
            await Task.Delay(50);
        }
    }

    public static async Task<List<JsonElement>> RowsAsync(this SignedIn user, long importId, string what = "rows")
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await WatchlogApp.ExpectAsync(await user.Client.GetAsync($"/api/imports/{importId}/{what}?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}"), HttpStatusCode.OK);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        } while (cursor is not null);
        return all;
    }

    /// <summary>(line → (title id, episode id)) of the rows that matched automatically.</summary>
    public static Dictionary<int, (long Title, long? Episode)> Matched(IEnumerable<JsonElement> rows) => rows
        .Where(r => r.GetProperty("status").GetString() == "matched")
        .ToDictionary(r => r.GetProperty("line").GetInt32(), r => (r.GetProperty("match").GetProperty("title_id").GetInt64(),
            r.GetProperty("match").GetProperty("episode_id").ValueKind == JsonValueKind.Null ? (long?)null : r.GetProperty("match").GetProperty("episode_id").GetInt64()));

    public static async Task<int> CountAsync(TestDb test, string table, long userId)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.ExecuteScalarAsync<int>($"SELECT count(*) FROM {table} WHERE user_id = @userId", new { userId });
    }
}
