using System.Diagnostics;
using Watchlog.Imports.Catalog;
using Xunit.Abstractions;
using static Watchlog.Tests.Imports.Catalog.CatalogImports;

namespace Watchlog.Tests.Imports.Catalog;

/// <summary>
/// The real files in ../shared/datasets, imported in place (never copied into the repository). Without them these
/// tests pass after saying so, since xunit 2 can't skip at run time.
/// </summary>
public class RealDatasetImportTests(ITestOutputHelper output)
{
    async Task<ImportSummary?> ImportAsync(TestDb db, string dataset, string format, CatalogImportOptions options)
    {
        if (TestEnv.Dataset(dataset) is not { } path)
        {
            output.WriteLine($"Not run: {dataset} is not under {Path.Combine(TestEnv.SharedDir, "datasets")}.");
            return null;
        }
        var clock = Stopwatch.StartNew();
        var summary = await For(db).RunAsync(path, format, options, null, Ct);
        output.WriteLine($"{dataset} on {db.Engine}: read {summary.Read}, imported {summary.Imported}, merged {summary.Merged}, skipped {summary.Skipped} in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var row in summary.SkippedRows) output.WriteLine($"  line {row.Line}: {row.Reason}");
        return summary;
    }

    [EachDatabase]
    public async Task Netflix_imports_every_row(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        if (await ImportAsync(db, "streaming-catalogs/netflix_titles.csv", "streaming-csv", new(Platform: "netflix")) is not { } summary) return;

        Assert.Equal((8807L, 8807L, 0L), (summary.Read, summary.Imported, summary.Skipped));
        var louis = await TitleAsync(db, "streaming-csv:netflix", "s5542"); // "74 min" in the rating column
        Assert.Equal(("Louis C.K. 2017", 74, null), (louis.Title, louis.RuntimeMin, louis.Certification));
        var memphis = await TitleAsync(db, "streaming-csv:netflix", "s8420"); // a newline inside the quoted title
        Assert.Equal("The Memphis Belle: A Story of a Flying Fortress", memphis.Title);
    }

    [EachDatabase]
    public async Task Prime_Video_skips_only_its_test_row(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        if (await ImportAsync(db, "streaming-catalogs/amazon_prime_titles.csv", "streaming-csv", new(Platform: "prime-video")) is not { } summary) return;

        Assert.Equal((9668L, 9667L), (summary.Read, summary.Imported + summary.Merged));
        // s9225 "Clip: Validation Check CAPI" has 1,024 characters of "CAPI Valid…" as its director.
        Assert.Equal((9245, "people[0].name is longer than 300 characters"), (summary.SkippedRows[0].Line, summary.SkippedRows[0].Reason));
    }

    [EachDatabase]
    public async Task Disney_plus_imports_every_row(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        if (await ImportAsync(db, "streaming-catalogs/disney_plus_titles.csv", "streaming-csv", new(Platform: "Disney+")) is not { } summary) return;

        Assert.Equal((1450L, 0L), (summary.Read, summary.Skipped));
        Assert.Equal(1450, await CountAsync(db, "availability"));
    }

    [EachDatabase]
    public async Task Hulu_imports_every_row_and_its_series_listed_as_movies_are_series(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        if (await ImportAsync(db, "streaming-catalogs/hulu_titles.csv", "streaming-csv", new(Platform: "hulu")) is not { } summary) return;

        Assert.Equal((3073L, 0L), (summary.Read, summary.Skipped));
        var harrow = await TitleAsync(db, "streaming-csv:hulu", "s988");
        Assert.Equal(("Harrow", "series"), (harrow.Title, harrow.Kind));
        Assert.Empty((await TitleAsync(db, "streaming-csv:hulu", "s2012")).Credits); // its director column repeats the description
    }

    [EachDatabase]
    public async Task MovieLens_imports_every_movie_but_a_second_row_for_the_same_IMDb_title(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        if (await ImportAsync(db, "movielens/ml-latest-small", "movielens", new()) is not { } summary) return;

        Assert.Equal((9742L, 9741L, 1L), (summary.Read, summary.Imported, summary.Skipped));
        // movieId 144606 repeats "Confessions of a Dangerous Mind (2002)", tt0270288, already movieId 6003.
        Assert.Equal(9108, summary.SkippedRows[0].Line);
        var city = await TitleAsync(db, "movielens", "29");
        Assert.Equal(("The City of Lost Children", "tt0112682", 902), (city.Title, city.ExternalIds.Imdb, city.ExternalIds.Tmdb));
    }
}
