using Watchlog.Imports.Catalog;
using Watchlog.Imports.Catalog.Imdb;
using static Watchlog.Tests.Imports.Catalog.Imdb.ImdbFolder;

namespace Watchlog.Tests.Imports.Catalog.Imdb;

/// <summary>The title pass's merge join, without a database.</summary>
public class ImdbTitlesTests
{
    static async Task<List<ImportRow>> ReadAsync(ImdbFolder folder, ReadPosition? position = null)
    {
        var rows = new List<ImportRow>();
        await foreach (var row in new ImdbFormat().ReadAsync(folder.Path, new CatalogImportOptions(), position ?? new ReadPosition(), CancellationToken.None))
            rows.Add(row);
        return rows;
    }

    static ImdbFolder ThreeMovies() => new ImdbFolder().Write("title.basics.tsv", Basics,
        Row("tt0000002", "movie", "Two", "Two", "0", "1990", Null, "90", "Drama"),
        Row("tt0000004", "movie", "Four", "Four", "0", "1991", Null, "91", "Drama"),
        Row("tt0000006", "movie", "Six", "Six", "0", "1992", Null, "92", "Drama"));

    [Fact]
    public async Task Each_title_gets_its_own_rows_when_some_are_missing_and_others_name_unknown_titles()
    {
        using var folder = ThreeMovies()
            .Write("title.ratings.tsv", Ratings,
                Row("tt0000001", "1.0", "1"), Row("tt0000002", "7.0", "100"), Row("tt0000003", "2.0", "2"), Row("tt0000009", "3.0", "3"))
            .Write("title.akas.tsv.gz", Akas,
                Row("tt0000004", "1", "Vier", "DE", "de", Null, Null, "0"), Row("tt0000005", "1", "Fünf", "DE", "de", Null, Null, "0"))
            .Write("title.principals.tsv", Principals,
                Row("tt0000000", "1", "nm0000009", "actor", Null, "[\"Nobody\"]"),
                Row("tt0000002", "1", "nm0000001", "actor", Null, "[\"Ann\"]"),
                Row("tt0000006", "1", "nm0000002", "director", Null, Null),
                Row("tt0000006", "2", "nm0000003", "actress", Null, "[\"Bea\"]"),
                Row("tt0000007", "1", "nm0000004", "actor", Null, "[\"Nobody either\"]"));

        var entries = (await ReadAsync(folder)).Select(r => r.Entry!).ToList();

        Assert.Equal(["tt0000002", "tt0000004", "tt0000006"], entries.Select(e => e.Id));
        Assert.Equal([70, null, null], entries.Select(e => e.AudienceRating));
        Assert.Equal([null, "Vier", null], entries.Select(e => e.Aliases?.Single().Title));
        Assert.Equal(["nm0000001", null, "nm0000002,nm0000003"], entries.Select(e => e.People is { } p ? string.Join(',', p.Select(x => x.ImdbId)) : null));
    }

    [Fact]
    public async Task Skipped_and_episode_rows_pass_over_their_rows_in_the_other_files()
    {
        using var folder = new ImdbFolder()
            .Write("title.basics.tsv", Basics,
                Row("tt0000001", "short", "Carmencita", "Carmencita", "0", "1894", Null, "1", "Documentary,Short"),
                Row("tt0000002", "tvEpisode", "Pilot", "Pilot", "0", "2008", Null, "58", "Drama"),
                Row("tt0000003", "movie", "Grown-ups only", "Grown-ups only", "1", "2001", Null, "80", "Adult"),
                Row("tt0000004", "tvSeries", "The Show", "The Show", "0", "2008", "2013", "45", "Drama"),
                Row("tt0000005", "movie", "a broken row"))
            .Write("title.principals.tsv", Principals,
                Row("tt0000001", "1", "nm0000001", "director", Null, Null),
                Row("tt0000002", "1", "nm0000002", "actor", Null, "[\"Walter\"]"),
                Row("tt0000003", "1", "nm0000003", "actor", Null, "[\"Someone\"]"),
                Row("tt0000004", "1", "nm0000004", "actor", Null, "[\"Jesse\"]"));

        var rows = await ReadAsync(folder);

        Assert.Equal(
            [(2, "titleType short is not imported"), (4, "adult titles are not imported"), (5, null), (6, "expected 9 tab-separated fields")],
            rows.Select(r => (r.Line, r.Error)));
        Assert.Equal("nm0000004", Assert.Single(rows[2].Entry!.People!).ImdbId);
    }

    [Fact]
    public async Task An_unsorted_file_stops_the_import_naming_the_file_and_line()
    {
        using var folder = ThreeMovies().Write("title.ratings.tsv", Ratings,
            Row("tt0000002", "7.0", "100"), Row("tt0000006", "6.0", "60"), Row("tt0000004", "4.0", "40"));

        var e = await Assert.ThrowsAsync<ImportException>(() => ReadAsync(folder));

        Assert.Contains("title.ratings.tsv is not in IMDb's order: line 4 has tt0000004 after tt0000006", e.Message);
    }

    [Fact]
    public async Task A_folder_without_title_basics_is_a_clear_error()
    {
        using var folder = new ImdbFolder().Write("title.ratings.tsv", Ratings, Row("tt0000002", "7.0", "100"));

        var e = await Assert.ThrowsAsync<ImportException>(() => ReadAsync(folder));

        Assert.Contains("holds no title.basics.tsv.gz", e.Message);
    }
}
