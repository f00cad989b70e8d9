using Watchlog.Imports.Catalog;
using Watchlog.Imports.Catalog.Imdb;
using static Watchlog.Tests.Imports.Catalog.Imdb.ImdbFolder;

namespace Watchlog.Tests.Imports.Catalog.Imdb;

public class TsvReaderTests
{
    static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Splits_on_tabs_only_and_reads_backslash_N_as_null()
    {
        using var folder = new ImdbFolder().Write("title.basics.tsv", Basics,
            Row("tt0000001", "movie", "The \"Best\" Show, Part 2", "L'émission", "0", "1999", Null, Null, "Comedy,Drama"));

        await using var reader = await TsvReader.OpenAsync(Path.Combine(folder.Path, "title.basics.tsv"), BasicsRow.Columns, ordered: true, new ReadPosition(), Ct);
        Assert.True(await reader.ReadAsync(Ct));
        var row = BasicsRow.From(reader.Fields()!);

        Assert.Equal(new BasicsRow("tt0000001", "movie", "The \"Best\" Show, Part 2", "L'émission", false, 1999, null, "Comedy,Drama"), row);
        Assert.Equal(2, reader.Line);
        Assert.False(await reader.ReadAsync(Ct));
    }

    [Fact]
    public async Task Reads_gzip_like_plain_text_and_counts_the_bytes_it_read()
    {
        using var folder = new ImdbFolder()
            .Write("title.ratings.tsv.gz", Ratings, Row("tt0000001", "5.7", "2095"), Row("tt0000002", "6.1", "283"));
        var path = Path.Combine(folder.Path, "title.ratings.tsv.gz");
        var position = new ReadPosition();

        var rows = new List<RatingRow>();
        await using (var reader = await TsvReader.OpenAsync(path, RatingRow.Columns, ordered: true, position, Ct))
            while (await reader.ReadAsync(Ct)) rows.Add(RatingRow.From(reader.Fields()!));

        Assert.Equal([new RatingRow("tt0000001", 5.7, 2095), new RatingRow("tt0000002", 6.1, 283)], rows);
        Assert.Equal(new FileInfo(path).Length, position.Done);
    }

    [Fact]
    public async Task Finds_columns_by_their_header_names()
    {
        using var folder = new ImdbFolder().Write("title.ratings.tsv", "tconst\tnumVotes\taverageRating", Row("tt0000001", "2095", "5.7"));

        await using var reader = await TsvReader.OpenAsync(Path.Combine(folder.Path, "title.ratings.tsv"), RatingRow.Columns, ordered: true, new ReadPosition(), Ct);
        await reader.ReadAsync(Ct);

        Assert.Equal(new RatingRow("tt0000001", 5.7, 2095), RatingRow.From(reader.Fields()!));
    }

    [Fact]
    public async Task A_missing_column_names_the_file_and_the_column()
    {
        using var folder = new ImdbFolder().Write("title.ratings.tsv", "tconst\taverageRating", Row("tt0000001", "5.7"));

        var e = await Assert.ThrowsAsync<ImportException>(() =>
            TsvReader.OpenAsync(Path.Combine(folder.Path, "title.ratings.tsv"), RatingRow.Columns, ordered: true, new ReadPosition(), Ct));

        Assert.Contains("title.ratings.tsv has no 'numVotes' column", e.Message);
    }

    [Fact]
    public async Task Keys_are_in_order_when_they_sort_as_text_like_IMDb_sorts_them()
    {
        using var folder = new ImdbFolder().Write("title.ratings.tsv", Ratings,
            Row("tt0999999", "5", "1"), Row("tt10000001", "5", "1"), Row("tt1000001", "5", "1"), Row("tt1000001", "6", "2"));

        await using var reader = await TsvReader.OpenAsync(Path.Combine(folder.Path, "title.ratings.tsv"), RatingRow.Columns, ordered: true, new ReadPosition(), Ct);
        var keys = new List<string>();
        while (await reader.ReadAsync(Ct)) keys.Add(reader.Key.ToString());

        Assert.Equal(["tt0999999", "tt10000001", "tt1000001", "tt1000001"], keys);
    }

    [Fact]
    public async Task A_key_out_of_order_stops_with_the_file_the_line_and_both_keys()
    {
        using var folder = new ImdbFolder().Write("title.akas.tsv", Akas,
            Row("tt0000005", "1", "Five", Null, Null, Null, Null, "1"),
            Row("tt0000009", "1", "Nine", Null, Null, Null, Null, "1"),
            Row("tt0000007", "1", "Seven", Null, Null, Null, Null, "1"));

        await using var reader = await TsvReader.OpenAsync(Path.Combine(folder.Path, "title.akas.tsv"), AkaRow.Columns, ordered: true, new ReadPosition(), Ct);
        var e = await Assert.ThrowsAsync<ImportException>(async () => { while (await reader.ReadAsync(Ct)) { } });

        Assert.Contains("title.akas.tsv is not in IMDb's order: line 4 has tt0000007 after tt0000009", e.Message);
    }

    [Fact]
    public async Task A_file_nothing_is_joined_to_may_be_in_any_order()
    {
        using var folder = new ImdbFolder().Write("name.basics.tsv", Names,
            Row("nm0000002", "Lauren Bacall", "1924", "2014", "actress", Null),
            Row("nm0000001", "Fred Astaire", "1899", "1987", "actor", Null));

        await using var reader = await TsvReader.OpenAsync(Path.Combine(folder.Path, "name.basics.tsv"), NameRow.Columns, ordered: false, new ReadPosition(), Ct);
        var names = new List<string?>();
        while (await reader.ReadAsync(Ct)) names.Add(NameRow.From(reader.Fields()!).PrimaryName);

        Assert.Equal(["Lauren Bacall", "Fred Astaire"], names);
    }

    [Fact]
    public async Task RowsFor_passes_over_other_keys_and_returns_the_rows_of_the_one_asked_for()
    {
        using var folder = new ImdbFolder().Write("title.akas.tsv", Akas,
            Row("tt0000001", "1", "Unknown title", Null, Null, Null, Null, "1"),
            Row("tt0000003", "1", "Three", Null, Null, "original", Null, "1"),
            Row("tt0000003", "2", "Drei", "DE", "de", "imdbDisplay", Null, "0"),
            Row("tt0000003", "3", "a row", "with too few fields"),
            Row("tt0000004", "1", "Four", Null, Null, Null, Null, "1"),
            Row("tt0000009", "1", "Nine", Null, Null, Null, Null, "1"));

        await using var reader = await TsvReader.OpenAsync(Path.Combine(folder.Path, "title.akas.tsv"), AkaRow.Columns, ordered: true, new ReadPosition(), Ct);

        Assert.Empty(await reader.RowsForAsync("tt0000002", Ct));
        Assert.Equal(["Three", "Drei"], (await reader.RowsForAsync("tt0000003", Ct)).Select(f => AkaRow.From(f).Title));
        Assert.Empty(await reader.RowsForAsync("tt0000005", Ct));
        Assert.Equal(["Nine"], (await reader.RowsForAsync("tt0000009", Ct)).Select(f => AkaRow.From(f).Title));
        Assert.Empty(await reader.RowsForAsync("tt0000010", Ct));
    }
}
