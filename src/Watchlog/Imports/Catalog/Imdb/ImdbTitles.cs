using System.Runtime.CompilerServices;

namespace Watchlog.Imports.Catalog.Imdb;

/// <summary>
/// The title pass: title.basics merge-joined with title.ratings, title.akas and title.principals. All four are sorted
/// by tconst, so each title's rows are read side by side in one pass and memory stays flat however large the files.
/// Rows of the other files for titles that are skipped or unknown are passed over without being parsed.
/// </summary>
static class ImdbTitles
{
    public static async IAsyncEnumerable<ImportRow> ReadAsync(ImdbFiles files, ReadPosition position, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var basics = await TsvReader.OpenAsync(files.TitleBasics, BasicsRow.Columns, ordered: true, position, ct);
        await using var ratings = await OpenAsync(files.Ratings, RatingRow.Columns, position, ct);
        await using var akas = await OpenAsync(files.Akas, AkaRow.Columns, position, ct);
        await using var principals = await OpenAsync(files.Principals, PrincipalRow.Columns, position, ct);

        while (await basics.ReadAsync(ct))
        {
            if (basics.Fields() is not { } fields)
            {
                yield return ImportRow.Bad(basics.Line, $"expected {basics.Width} tab-separated fields");
                continue;
            }
            var title = BasicsRow.From(fields);
            if (title.TitleType == "tvEpisode") continue; // read with its title.episode row in the episode pass
            if (ImdbEntry.SkipReason(title) is { } reason)
            {
                yield return ImportRow.Bad(basics.Line, reason);
                continue;
            }
            var rating = await RowsForAsync(ratings, title.Tconst, ct) is [var r, ..] ? RatingRow.From(r) : (RatingRow?)null;
            var aliases = (await RowsForAsync(akas, title.Tconst, ct)).Select(AkaRow.From);
            var credits = (await RowsForAsync(principals, title.Tconst, ct)).Select(PrincipalRow.From);
            yield return ImportRow.Ok(basics.Line, ImdbEntry.From(title, rating, aliases, credits));
        }
    }

    static async Task<TsvReader?> OpenAsync(string? path, string[] columns, ReadPosition position, CancellationToken ct) =>
        path is null ? null : await TsvReader.OpenAsync(path, columns, ordered: true, position, ct);

    static async ValueTask<IReadOnlyList<string?[]>> RowsForAsync(TsvReader? file, string tconst, CancellationToken ct) =>
        file is null ? [] : await file.RowsForAsync(tconst, ct);
}
