using Dapper;
using Watchlog.Catalog;

namespace Watchlog.Tests.Catalog;

public class CatalogWriterTests
{
    static CatalogWriter Writer(TestDb test) => new(test.Db, TimeProvider.System);

    static async Task<long> CountAsync(TestDb test, string sql, object? args = null)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.ExecuteScalarAsync<long>(sql, args);
    }

    [EachDatabase]
    public async Task Imports_a_title_with_every_side_table(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var entry = Make.Movie("42", "Amélie", 2001, imdb: "tt0211915", tmdb: 194);
        entry.OriginalTitle = "Le Fabuleux Destin d'Amélie Poulain";
        entry.Genres = ["Comedy", "Romance", "comedy"];
        entry.Regions = ["fr"];
        entry.Aliases = [new AliasEntry { Title = "Le Fabuleux Destin d'Amélie Poulain", Region = "FR", Language = "fr" }];
        entry.People = [new PersonEntry { Name = "Jean-Pierre Jeunet", Role = "director" }, new PersonEntry { Name = "Audrey Tautou", Role = "actor", Character = "Amélie Poulain" }];
        entry.Platforms = [new PlatformEntry { Name = "Disney Plus", Region = "US", AvailableFrom = new DateOnly(2024, 1, 1), ExpiresOn = new DateOnly(2026, 12, 31) }];

        var result = Assert.Single(await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(entry), CancellationToken.None));

        Assert.Equal(RowOutcome.Imported, result.Outcome);
        var title = await new TitleStore(test.Db).GetAsync(result.TitleId, CancellationToken.None);
        Assert.NotNull(title);
        Assert.Equal("Amélie", title.Title);
        Assert.Equal(["Comedy", "Romance"], title.Genres);
        Assert.Equal(["FR"], title.Regions);
        Assert.Equal(new TitleExternalIds("tt0211915", 194, null), title.ExternalIds);
        Assert.Equal("fr", Assert.Single(title.Aliases).Language);
        Assert.Equal(["Jean-Pierre Jeunet", "Audrey Tautou"], title.Credits.Select(c => c.Name));
        Assert.Equal("Amélie Poulain", title.Credits[1].Character);
        var available = Assert.Single(title.Availability["US"]);
        Assert.Equal(("disney-plus", "subscription", new DateOnly(2026, 12, 31)), (available.Platform, available.Monetization, available.ExpiresOn));
    }

    [EachDatabase]
    public async Task Reimporting_the_same_source_updates_in_place_without_duplicates(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        CatalogEntry Entry(string overview) => new()
        {
            Id = "7", Kind = "series", Title = "Dark", Year = 2017, Overview = overview, Genres = ["Drama"],
            People = [new PersonEntry { Name = "Baran bo Odar", Role = "creator" }],
            Platforms = [new PlatformEntry { Name = "netflix", Region = "DE" }],
            Seasons = [new SeasonEntry { Number = 1, Episodes = [new EpisodeEntry { Number = 1, Title = "Secrets" }] }],
        };
        var first = await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(Entry("old")), CancellationToken.None);
        var again = await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(Entry("new")), CancellationToken.None);

        Assert.Equal(RowOutcome.Updated, again[0].Outcome);
        Assert.Equal(first[0].TitleId, again[0].TitleId);
        foreach (var table in new[] { "titles", "title_genres", "credits", "people", "availability", "seasons", "episodes", "title_sources" })
            Assert.Equal(1L, await CountAsync(test, $"SELECT count(*) FROM {table}"));
        Assert.Equal("new", (await new TitleStore(test.Db).GetAsync(first[0].TitleId, CancellationToken.None))!.Overview);
    }

    [EachDatabase]
    public async Task A_title_from_another_source_merges_by_external_id(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var fromMovieLens = Make.Movie("1", "Toy Story", 1995, imdb: "tt0114709");
        fromMovieLens.Genres = ["Animation"];
        var fromCsv = Make.Movie("s9", "Toy Story (Special Edition)", 1995, imdb: "tt0114709");
        fromCsv.Overview = "Toys come to life.";
        fromCsv.Genres = ["Family"];

        var a = await Writer(test).Begin("movielens").WriteAsync(Make.Lines(fromMovieLens), CancellationToken.None);
        var b = await Writer(test).Begin("streaming-csv:netflix").WriteAsync(Make.Lines(fromCsv), CancellationToken.None);

        Assert.Equal(RowOutcome.Merged, b[0].Outcome);
        Assert.Equal(a[0].TitleId, b[0].TitleId);
        var title = (await new TitleStore(test.Db).GetAsync(a[0].TitleId, CancellationToken.None))!;
        Assert.Equal("Toy Story", title.Title);               // what was stored wins
        Assert.Equal("Toys come to life.", title.Overview);    // the merge fills gaps
        Assert.Equal(["Animation", "Family"], title.Genres);
        Assert.Equal(2L, await CountAsync(test, "SELECT count(*) FROM title_sources"));
    }

    [EachDatabase]
    public async Task Merges_by_title_year_and_kind_only_when_exactly_one_title_from_another_source_matches(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await Writer(test).Begin("a").WriteAsync(Make.Lines(Make.Movie("1", "Léon: The Professional", 1994), Make.Movie("2", "Dune", 2021), Make.Movie("3", "Dune", 2021)), CancellationToken.None);

        var results = await Writer(test).Begin("b").WriteAsync(Make.Lines(
            Make.Movie("x", "Leon - The Professional", 1994),   // one match: merged
            Make.Movie("y", "Dune", 2021),                      // two matches: a new title
            Make.Movie("z", "Leon: The Professional", 1995),    // another year: a new title
            new CatalogEntry { Id = "w", Kind = "series", Title = "Léon: The Professional", Year = 1994 }), CancellationToken.None); // another kind

        Assert.Equal([RowOutcome.Merged, RowOutcome.Imported, RowOutcome.Imported, RowOutcome.Imported], results.Select(r => r.Outcome));
    }

    [EachDatabase]
    public async Task Never_merges_two_rows_of_one_source(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var session = Writer(test).Begin("jsonl");
        var results = await session.WriteAsync(Make.Lines(
            Make.Movie("1", "Crash", 2004), Make.Movie("2", "Crash", 2004),
            Make.Movie("3", "Heat", 1995, imdb: "tt0113277"), Make.Movie("4", "Heat (again)", 1995, imdb: "tt0113277")), CancellationToken.None);
        var later = await session.WriteAsync(Make.Lines(Make.Movie("5", "Heat copy", 1995, imdb: "tt0113277")), CancellationToken.None);
        var rerun = await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(Make.Movie("6", "Crash", 2004)), CancellationToken.None);

        Assert.Equal([RowOutcome.Imported, RowOutcome.Imported, RowOutcome.Imported, RowOutcome.Skipped], results.Select(r => r.Outcome));
        Assert.Contains("line 3", results[3].Reason);
        Assert.Equal(RowOutcome.Skipped, later[0].Outcome);
        Assert.Equal(RowOutcome.Imported, rerun[0].Outcome); // two candidates, both of this source: a new title
        Assert.Equal(4L, await CountAsync(test, "SELECT count(*) FROM titles"));
    }

    [EachDatabase]
    public async Task Bad_rows_are_skipped_with_a_reason_and_never_half_written(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var noTitle = new CatalogEntry { Id = "2", Kind = "movie" };
        var badKind = new CatalogEntry { Id = "3", Kind = "book", Title = "X" };
        var badYear = Make.Movie("4", "Far Future", 3000);
        var badPlatform = Make.Movie("5", "Somewhere", 2000);
        badPlatform.Platforms = [new PlatformEntry { Name = "Netflix", Region = "USA" }];
        var duplicateEpisodeImdb = Make.Series("6", "Twin", 1990, (1, 2));
        duplicateEpisodeImdb.Seasons![0].Episodes![0].ImdbId = "tt0000006";
        duplicateEpisodeImdb.Seasons![0].Episodes![1].ImdbId = "tt0000006"; // rejected by the database's unique index

        var results = await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(
            Make.Movie("1", "Fine", 2000), noTitle, badKind, badYear, badPlatform, duplicateEpisodeImdb, Make.Movie("1", "Again", 2001)), CancellationToken.None);

        Assert.Equal(RowOutcome.Imported, results[0].Outcome);
        Assert.Equal("title is required", results[1].Reason);
        Assert.Contains("kind must be 'movie' or 'series'", results[2].Reason);
        Assert.Contains("year must be between", results[3].Reason);
        Assert.Contains("platforms[0].region", results[4].Reason);
        Assert.Contains("database refused", results[5].Reason);
        Assert.Contains("already appeared on line 1", results[6].Reason);
        Assert.Equal(1L, await CountAsync(test, "SELECT count(*) FROM titles"));
        Assert.Equal(0L, await CountAsync(test, "SELECT count(*) FROM episodes"));
        Assert.Equal(0L, await CountAsync(test, "SELECT count(*) FROM seasons"));
    }

    [EachDatabase]
    public async Task Unknown_platform_names_join_the_registry_and_aliases_resolve(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var entry = Make.Movie("1", "Film", 2000);
        entry.Platforms =
        [
            new PlatformEntry { Name = "HBO Max", Region = "US" },
            new PlatformEntry { Name = "Amazon Prime Video", Region = "GB", Monetization = "ads" },
            new PlatformEntry { Name = "Kino Lorber+", Region = "US" },
        ];
        var result = await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(entry), CancellationToken.None);

        var title = (await new TitleStore(test.Db).GetAsync(result[0].TitleId, CancellationToken.None))!;
        Assert.Equal(["kino-lorber-plus", "max"], title.Availability["US"].Select(a => a.Platform).Order());
        Assert.Equal("prime-video", Assert.Single(title.Availability["GB"]).Platform);
        var platforms = await new TitleStore(test.Db).PlatformsAsync(CancellationToken.None);
        Assert.Contains(platforms, p => p.Slug == "kino-lorber-plus" && p.Aliases.Contains("kinolorberplus"));
    }

    [EachDatabase]
    public async Task People_are_shared_across_titles_and_credits_are_not_duplicated(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var a = Make.Movie("1", "Heat", 1995);
        a.People = [new PersonEntry { Name = "Al Pacino", Character = "Vincent Hanna" }];
        var b = Make.Movie("2", "Scarface", 1983);
        b.People = [new PersonEntry { Name = "AL PACINO", Character = "Tony Montana" }, new PersonEntry { Name = "Al Pacino", Character = "Tony Montana" }];

        await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(a), CancellationToken.None);
        await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(b), CancellationToken.None);

        Assert.Equal(1L, await CountAsync(test, "SELECT count(*) FROM people"));
        Assert.Equal(2L, await CountAsync(test, "SELECT count(*) FROM credits"));
        var person = (await new TitleStore(test.Db).GetPersonAsync(1, CancellationToken.None))!;
        Assert.Equal(["Heat", "Scarface"], person.Filmography.Select(f => f.Title));
    }

    [EachDatabase]
    public async Task Episodes_attach_to_a_series_of_the_same_source(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var session = Writer(test).Begin("imdb");
        await session.WriteAsync(Make.Lines(new CatalogEntry { Id = "tt0903747", Kind = "series", Title = "Breaking Bad", Year = 2008 }, Make.Movie("tt0111161", "The Shawshank Redemption", 1994)), CancellationToken.None);
        await session.WritePeopleAsync([new PersonRecord("nm0186505", "Bryan Cranston", 1956, null)], CancellationToken.None);

        var results = await session.WriteEpisodesAsync(
        [
            new SourcedEpisode(1, "tt0903747", 1, new EpisodeEntry { Number = 1, Title = "Pilot", ImdbId = "tt0959621", RuntimeMin = 58 }),
            new SourcedEpisode(2, "tt0903747", 1, new EpisodeEntry { Number = 2, Title = "Cat's in the Bag..." }),
            new SourcedEpisode(3, "tt9999999", 1, new EpisodeEntry { Number = 1 }),
            new SourcedEpisode(4, "tt0111161", 1, new EpisodeEntry { Number = 1 }),
        ], CancellationToken.None);

        Assert.Equal([RowOutcome.Updated, RowOutcome.Updated, RowOutcome.Skipped, RowOutcome.Skipped], results.Select(r => r.Outcome));
        var season = (await new TitleStore(test.Db).GetSeasonAsync(results[0].TitleId, 1, CancellationToken.None))!;
        Assert.Equal(["Pilot", "Cat's in the Bag..."], season.Episodes.Select(e => e.Title));
        Assert.Equal(1L, await CountAsync(test, "SELECT count(*) FROM people WHERE imdb_id = 'nm0186505' AND birth_year = 1956"));
    }

    [EachDatabase]
    public async Task An_id_repeated_in_a_later_batch_of_the_same_import_is_skipped(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var session = Writer(test).Begin("jsonl");

        await session.WriteAsync(Make.Lines(Make.Movie("1", "First", 2000)), CancellationToken.None);
        var later = await session.WriteAsync([new SourcedEntry(9, Make.Movie("1", "Second", 2001))], CancellationToken.None);
        var nextImport = await Writer(test).Begin("jsonl").WriteAsync(Make.Lines(Make.Movie("1", "Third", 2002)), CancellationToken.None);

        Assert.Equal("id '1' already appeared earlier in this import", later[0].Reason);
        Assert.Equal(RowOutcome.Updated, nextImport[0].Outcome);
        Assert.Equal(1L, await CountAsync(test, "SELECT count(*) FROM titles"));
    }

    [EachDatabase]
    public async Task A_renumbered_episode_takes_its_imdb_id_to_its_new_place(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var session = Writer(test).Begin("imdb");
        await session.WriteAsync(Make.Lines(new CatalogEntry { Id = "tt0411008", Kind = "series", Title = "Lost", Year = 2004 }), CancellationToken.None);
        await session.WriteEpisodesAsync([new SourcedEpisode(1, "tt0411008", 1, new EpisodeEntry { Number = 1, Title = "Pilot", ImdbId = "tt0636289" })], CancellationToken.None);

        var moved = await Writer(test).Begin("imdb").WriteEpisodesAsync(
            [new SourcedEpisode(1, "tt0411008", 0, new EpisodeEntry { Number = 1, Title = "Pilot", ImdbId = "tt0636289" })], CancellationToken.None);

        Assert.Equal(RowOutcome.Updated, moved[0].Outcome);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT season_number FROM episodes WHERE imdb_id = 'tt0636289'"));
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM episodes WHERE imdb_id IS NULL AND season_number = 1"));
    }

    [EachDatabase]
    public async Task A_duplicate_episode_in_one_batch_is_reported_as_not_written(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var session = Writer(test).Begin("imdb");
        await session.WriteAsync(Make.Lines(new CatalogEntry { Id = "tt0108778", Kind = "series", Title = "Friends", Year = 1994 }), CancellationToken.None);

        var results = await session.WriteEpisodesAsync(
        [
            new SourcedEpisode(4, "tt0108778", 1, new EpisodeEntry { Number = 1, Title = "Old title" }),
            new SourcedEpisode(7, "tt0108778", 1, new EpisodeEntry { Number = 1, Title = "The One Where It All Began" }),
        ], CancellationToken.None);

        Assert.Equal([RowOutcome.Skipped, RowOutcome.Updated], results.Select(r => r.Outcome));
        Assert.Contains("appears again on line 7", results[0].Reason);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal("The One Where It All Began", await conn.ExecuteScalarAsync<string>("SELECT title FROM episodes"));
    }
}
