using Dapper;
using Watchlog.Catalog;
using Watchlog.Imports.Catalog;
using Watchlog.Imports.Catalog.Imdb;
using static Watchlog.Tests.Imports.Catalog.Imdb.ImdbFolder;

namespace Watchlog.Tests.Imports.Catalog.Imdb;

/// <summary>Whole IMDb imports through <see cref="CatalogImport"/> into a real database.</summary>
public class ImdbImportTests
{
    static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>
    /// A short, a movie, an adult movie, a series with four placed episodes, an 8-digit tvMovie whose title holds a quote
    /// (sorted before tt1000001, as IMDb sorts), an episode of the short and an episode without numbers.
    /// </summary>
    static ImdbFolder Fixture() => new ImdbFolder()
        .Write("name.basics.tsv.gz", Names,
            Row("nm0000001", "Bryan Cranston", "1956", Null, "actor,producer,director", "tt0903747"),
            Row("nm0000002", "Aaron Paul", "1979", Null, "actor", "tt0903747"),
            Row("nm0000003", "Vince Gilligan", "1967", Null, "writer,producer", "tt0903747"),
            Row("nm0000004", "Ridley Scott", "1937", Null, "director,producer", "tt0083658"),
            Row("nm0000005", "Harrison Ford", "1942", Null, "actor", "tt0083658"),
            Row("nm0000006", "Vangelis", "1943", "2022", "composer", "tt0083658"))
        .Write("title.basics.tsv", Basics,
            Row("tt0000001", "short", "Carmencita", "Carmencita", "0", "1894", Null, "1", "Documentary,Short"),
            Row("tt0083658", "movie", "Blade Runner", "Blade Runner", "0", "1982", Null, "117", "Action,Drama,Sci-Fi"),
            Row("tt0090001", "movie", "Grown-ups Only", "Grown-ups Only", "1", "1990", Null, "80", "Adult"),
            Row("tt0903747", "tvSeries", "Breaking Bad", "Breaking Bad", "0", "2008", "2013", "49", "Crime,Drama,Thriller"),
            Row("tt0959621", "tvEpisode", "Pilot", "Pilot", "0", "2008", Null, "58", "Crime,Drama,Thriller"),
            Row("tt10000001", "tvMovie", "The \"Quoted\" Movie, Part 2", "The \"Quoted\" Movie, Part 2", "0", "2019", Null, "95", "Comedy"),
            Row("tt1000001", "tvEpisode", "Cat's in the Bag...", "Cat's in the Bag...", "0", "2008", Null, "48", "Crime,Drama,Thriller"),
            Row("tt1054724", "tvEpisode", "Episode #1.3", "Episode #1.3", "0", "2008", Null, "47", "Crime,Drama,Thriller"),
            Row("tt2301451", "tvEpisode", "Ozymandias", "Ozymandias", "0", "2013", Null, "47", "Crime,Drama,Thriller"),
            Row("tt3000001", "tvEpisode", "Episode of a short", "Episode of a short", "0", "1894", Null, "1", Null),
            Row("tt3000002", "tvEpisode", "Unplaced", "Unplaced", "0", "2009", Null, Null, Null))
        .Write("title.ratings.tsv", Ratings,
            Row("tt0000001", "5.7", "2095"),
            Row("tt0050000", "7.0", "10"),
            Row("tt0083658", "8.1", "850000"),
            Row("tt0903747", "9.5", "2100000"),
            Row("tt2301451", "10.0", "230000"),
            Row("tt9999999", "5.0", "1"))
        .Write("title.akas.tsv", Akas,
            Row("tt0083658", "1", "Blade Runner", Null, Null, "original", Null, "1"),
            Row("tt0083658", "2", "Blade Runner", "US", Null, "imdbDisplay", Null, "0"),
            Row("tt0083658", "3", "Der Blade Runner", "DE", "de", "imdbDisplay", Null, "0"),
            Row("tt0083658", "4", "Blade Runner: The Final Cut", "XWW", "en", "alternative", Null, "0"),
            Row("tt0903747", "1", "Breaking Bad", Null, Null, "original", Null, "1"),
            Row("tt0903747", "2", "Во все тяжкие", "RU", "ru", "imdbDisplay", Null, "0"))
        .Write("title.principals.tsv.gz", Principals,
            Row("tt0000001", "1", "nm0000004", "director", Null, Null),
            Row("tt0083658", "1", "nm0000005", "actor", Null, "[\"Rick Deckard\"]"),
            Row("tt0083658", "2", "nm0000004", "director", Null, Null),
            Row("tt0083658", "3", "nm0000006", "composer", Null, Null),
            Row("tt0083658", "4", "nm9999999", "actor", Null, "[\"Nobody\"]"),
            Row("tt0903747", "1", "nm0000001", "actor", Null, "[\"Walter White\"]"),
            Row("tt0903747", "2", "nm0000002", "actor", Null, "[\"Jesse Pinkman\"]"),
            Row("tt0903747", "3", "nm0000003", "writer", "creator", Null),
            Row("tt0903747", "4", "nm0000003", "producer", "executive producer", Null),
            Row("tt0959621", "1", "nm0000001", "actor", Null, "[\"Walter White\"]"),
            Row("tt10000001", "1", "nm0000002", "self", Null, "[\"Himself\"]"))
        .Write("title.episode.tsv", Episodes,
            Row("tt0959621", "tt0903747", "1", "1"),
            Row("tt1000001", "tt0903747", "1", "2"),
            Row("tt1054724", "tt0903747", "1", "3"),
            Row("tt2301451", "tt0903747", "5", "14"),
            Row("tt3000001", "tt0000001", "1", "1"),
            Row("tt3000002", "tt0903747", Null, Null));

    static CatalogImport Runner(TestDb db) => new(new CatalogWriter(db.Db, TimeProvider.System), [new JsonlFormat(), new ImdbFormat()]);

    static Task<ImportSummary> ImportAsync(TestDb db, ImdbFolder folder, int batchSize = 2) =>
        Runner(db).RunAsync(folder.Path, "imdb", new CatalogImportOptions(BatchSize: batchSize), null, Ct);

    static async Task<TitleDetails> TitleAsync(TestDb db, string imdb)
    {
        await using var conn = await db.Db.OpenAsync(Ct);
        var id = await conn.ExecuteScalarAsync<long>("SELECT id FROM titles WHERE imdb_id = @imdb", new { imdb });
        return (await new TitleStore(db.Db).GetAsync(id, Ct))!;
    }

    static async Task<long> CountAsync(TestDb db, string table)
    {
        await using var conn = await db.Db.OpenAsync(Ct);
        return await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    [EachDatabase]
    public async Task Imports_movies_and_series_with_genres_ratings_aliases_and_credits_of_named_people(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        using var folder = Fixture();

        var summary = await ImportAsync(db, folder);

        Assert.Equal((3, 0L), (summary.Imported, summary.Merged));
        var movie = await TitleAsync(db, "tt0083658");
        Assert.Equal(("movie", "Blade Runner", 1982, 117), (movie.Kind, movie.Title, movie.Year, movie.RuntimeMin));
        Assert.Equal(["Action", "Drama", "Science Fiction"], movie.Genres);
        Assert.Equal((81.0, 850_000), (movie.AudienceRating, movie.AudienceVotes));
        Assert.Equal(Math.Log10(850_001), movie.Popularity, 6);
        Assert.Equal(
            [("Blade Runner", "US", null), ("Der Blade Runner", "DE", "de"), ("Blade Runner: The Final Cut", null, "en")],
            movie.Aliases.Select(a => (a.Title, a.Region, a.Language)));
        Assert.Equal(
            [("Harrison Ford", "actor", "Rick Deckard", null), ("Ridley Scott", "director", null, null), ("Vangelis", "crew", null, "composer")],
            movie.Credits.Select(c => (c.Name, c.Role, c.Character, c.Job)));

        var series = await TitleAsync(db, "tt0903747");
        Assert.Equal(("series", "Breaking Bad", 2008, 95.0), (series.Kind, series.Title, series.Year, series.AudienceRating));
        Assert.Equal(["Во все тяжкие"], series.Aliases.Select(a => a.Title));
        Assert.Equal(
            [("Bryan Cranston", "actor", "Walter White"), ("Aaron Paul", "actor", "Jesse Pinkman"), ("Vince Gilligan", "writer", null), ("Vince Gilligan", "producer", null)],
            series.Credits.Select(c => (c.Name, c.Role, c.Character)));

        var tvMovie = await TitleAsync(db, "tt10000001");
        Assert.Equal(("movie", "The \"Quoted\" Movie, Part 2", null, 0.0), (tvMovie.Kind, tvMovie.Title, tvMovie.AudienceRating, tvMovie.Popularity));
        Assert.Equal(("Aaron Paul", "actor", "Himself"), tvMovie.Credits.Select(c => (c.Name, c.Role, c.Character)).Single());

        var person = (await new TitleStore(db.Db).GetPersonAsync(movie.Credits[0].PersonId, Ct))!;
        Assert.Equal(("nm0000005", 1942), (person.ImdbId, person.BirthYear));
        Assert.Equal(6, summary.People);
        Assert.Equal(6, await CountAsync(db, "people"));
    }

    [EachDatabase]
    public async Task Episodes_go_under_the_right_seasons_of_their_series(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        using var folder = Fixture();

        var summary = await ImportAsync(db, folder);

        Assert.Equal(4, summary.Episodes);
        var series = await TitleAsync(db, "tt0903747");
        Assert.Equal([(1, 3), (5, 1)], series.Seasons.Select(s => (s.Number, s.EpisodeCount)));
        var store = new TitleStore(db.Db);
        Assert.Equal(
            [(1, "Pilot", (int?)58), (2, "Cat's in the Bag...", 48), (3, null, 47)],
            (await store.GetSeasonAsync(series.Id, 1, Ct))!.Episodes.Select(e => (e.Number, e.Title, e.RuntimeMin)));
        Assert.Equal("Ozymandias", (await store.GetSeasonAsync(series.Id, 5, Ct))!.Episodes.Single(e => e.Number == 14).Title);
        await using var conn = await db.Db.OpenAsync(Ct);
        Assert.Equal(series.Id, await conn.ExecuteScalarAsync<long>("SELECT title_id FROM episodes WHERE imdb_id = 'tt2301451'"));
    }

    [EachDatabase]
    public async Task Skips_shorts_adult_titles_and_episodes_without_a_series_or_numbers_with_reasons(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        using var folder = Fixture();

        var summary = await ImportAsync(db, folder);

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["titleType short is not imported"] = 1,
                ["adult titles are not imported"] = 1,
                ["its series N is not in the catalog from this source"] = 1,
                ["episode has no season or episode number"] = 1,
            },
            summary.SkipReasons);
        Assert.Equal(
            [(2, "titleType short is not imported"), (4, "adult titles are not imported"), (6, "its series tt0000001 is not in the catalog from this source"),
             (7, "episode has no season or episode number")],
            summary.SkippedRows.Select(r => (r.Line, r.Reason)).Order());
        // Five title rows (episode rows of title.basics are read with title.episode) and six episode rows.
        Assert.Equal(11, summary.Read);
        Assert.Equal(summary.Read, summary.Imported + summary.Updated + summary.Merged + summary.Episodes + summary.Skipped);
        Assert.Equal(["people", "titles", "episodes"], summary.Stages.Select(s => s.Name));
        Assert.Equal(1.0, summary.Fraction);
        Assert.Equal(3, await CountAsync(db, "titles"));
    }

    [EachDatabase]
    public async Task Importing_again_updates_in_place_without_duplicates(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        using var folder = Fixture();
        await ImportAsync(db, folder);
        var tables = new[] { "titles", "people", "credits", "title_aliases", "title_genres", "seasons", "episodes", "title_sources" };
        var before = new List<long>();
        foreach (var t in tables) before.Add(await CountAsync(db, t));
        folder.Write("title.ratings.tsv", Ratings, Row("tt0083658", "8.2", "900000"));

        var again = await ImportAsync(db, folder);

        Assert.Equal((0L, 3L, 4L), (again.Imported, again.Updated, again.Episodes));
        var after = new List<long>();
        foreach (var t in tables) after.Add(await CountAsync(db, t));
        Assert.Equal(before, after);
        Assert.Equal((82.0, 900_000), ((await TitleAsync(db, "tt0083658")).AudienceRating, (await TitleAsync(db, "tt0083658")).AudienceVotes));
    }

    [EachDatabase]
    public async Task An_episode_renumbered_since_the_last_import_moves_with_its_imdb_id(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        using var folder = Fixture();
        await ImportAsync(db, folder);
        // IMDb moved the pilot to 1x4; the episode stored as 1x1 still holds the pilot's IMDb id.
        folder.Write("title.episode.tsv", Episodes,
            Row("tt0959621", "tt0903747", "1", "4"),
            Row("tt1000001", "tt0903747", "1", "2"),
            Row("tt1054724", "tt0903747", "1", "3"),
            Row("tt2301451", "tt0903747", "5", "14"));

        var again = await ImportAsync(db, folder, batchSize: 100);

        Assert.Equal(4, again.Episodes);
        Assert.DoesNotContain(again.SkippedRows, r => r.Reason!.StartsWith("the database refused it", StringComparison.Ordinal));
        await using var conn = await db.Db.OpenAsync(Ct);
        Assert.Equal([null, "tt1000001", "tt1054724", "tt0959621"], await conn.QueryAsync<string?>(
            "SELECT imdb_id FROM episodes WHERE season_number = 1 ORDER BY number"));
    }

    [EachDatabase]
    public async Task The_real_sample_files_import_without_errors(Engine engine)
    {
        if (TestEnv.Dataset("tv-series/imdb-format-samples") is not { } samples)
        {
            Console.WriteLine("tv-series/imdb-format-samples is not beside the repository: nothing to check");
            return;
        }
        await using var db = await TestDb.CreateAsync(engine);

        var summary = await Runner(db).RunAsync(samples, "imdb", new CatalogImportOptions(), null, Ct);

        Assert.True(summary.Read > 0);
        Assert.Equal(summary.Read, summary.Imported + summary.Episodes + summary.Skipped);
        Assert.DoesNotContain(summary.SkippedRows, r => r.Reason!.Contains("refused") || r.Reason.Contains("fields"));
        Assert.Equal(await CountAsync(db, "people"), summary.People);
        Assert.True(summary.People > 0);
    }
}
