using System.Globalization;
using Watchlog.Catalog;
using Watchlog.Tracking;

namespace Watchlog.History.Formats;

/// <summary>
/// <c>letterboxd</c>: the export zip or its folder (FORMATS.md C). diary.csv rows are viewings (on the Watched Date,
/// with their rating; rewatches are viewings too); watched.csv adds films the diary doesn't have, on the day they were
/// marked; ratings.csv (0.5–5 stars → 1–10) and watchlist.csv as they are. deleted/ and orphaned/ are ignored.
/// </summary>
public sealed class LetterboxdFormat : IHistoryFormat
{
    static readonly string[] Ignored = ["deleted", "orphaned", "likes", "lists"];

    public string Name => "letterboxd";

    public ParsedFile Parse(ImportInput input, ImportOptions options)
    {
        var diary = One(input, "diary.csv", "Name", "Watched Date");
        var watched = One(input, "watched.csv", "Name", "Date");
        var ratings = One(input, "ratings.csv", "Name", "Rating");
        var watchlist = One(input, "watchlist.csv", "Name", "Date");
        if (diary is null && watched is null && ratings is null && watchlist is null)
            throw new HistoryFileException("This is not a Letterboxd export: it has none of diary.csv, watched.csv, ratings.csv, watchlist.csv.");

        var rows = new List<ImportRow>();
        var inDiary = new HashSet<(string, int?)>();
        if (diary is not null)
            foreach (var r in diary.Records)
            {
                var row = Film(diary, r, RowAction.Watch, "Watched Date", options, fallbackDate: "Date");
                rows.Add(row);
                if (row.SkipReason is null) inDiary.Add((Normalize.MatchKey(row.Title), row.Year));
            }
        if (watched is not null)
            foreach (var r in watched.Records)
            {
                var row = Film(watched, r, RowAction.Watch, "Date", options);
                rows.Add(row.SkipReason is null && inDiary.Contains((Normalize.MatchKey(row.Title), row.Year))
                    ? row with { SkipReason = "In the diary already: its diary entries are the viewings." } : row);
            }
        if (ratings is not null) rows.AddRange(ratings.Records.Select(r => Film(ratings, r, RowAction.Rating, "Date", options)));
        if (watchlist is not null) rows.AddRange(watchlist.Records.Select(r => Film(watchlist, r, RowAction.Watchlist, "Date", options)));
        return new ParsedFile(rows);
    }

    static CsvFile? One(ImportInput input, string name, params string[] required)
    {
        var files = input.Named(name, Ignored).ToList();
        if (files.Count == 0) return null;
        if (files.Count > 1) throw new HistoryFileException($"The export has {files.Count} files named {name} outside deleted/ and orphaned/.");
        return CsvFile.Read(files[0].Path, files[0].Content, required);
    }

    static ImportRow Film(CsvFile csv, Imports.Csv.CsvRecord r, RowAction action, string dateColumn, ImportOptions options, string? fallbackDate = null)
    {
        if (r.Error is not null) return ImportRow.Skip(csv.Name, r.Line, action, r.Error);
        var name = csv.Get(r, "Name");
        if (name.Length == 0) return ImportRow.Skip(csv.Name, r.Line, action, "The Name is empty.");
        int? year = null;
        var yearText = csv.Get(r, "Year");
        if (yearText.Length > 0)
        {
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1870 or > 2200)
                return ImportRow.Skip(csv.Name, r.Line, action, $"'{yearText}' is not a Year.", name);
            year = y;
        }
        var dateText = csv.Get(r, dateColumn);
        if (dateText.Length == 0 && fallbackDate is not null) dateText = csv.Get(r, fallbackDate);
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return ImportRow.Skip(csv.Name, r.Line, action, $"'{dateText}' is not a {dateColumn} (YYYY-MM-DD).", name);
        int? rating = null;
        var ratingText = csv.Header["Rating"] >= 0 ? csv.Get(r, "Rating") : "";
        if (ratingText.Length > 0)
        {
            if (!decimal.TryParse(ratingText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var stars) || stars is < 0.5m or > 5m || stars * 2 != decimal.Truncate(stars * 2))
                return ImportRow.Skip(csv.Name, r.Line, action, $"'{ratingText}' is not a Rating (0.5 to 5 in half stars).", name);
            rating = (int)(stars * 2);
        }
        if (action == RowAction.Rating && rating is null) return ImportRow.Skip(csv.Name, r.Line, action, "The Rating is empty.", name);
        return new ImportRow
        {
            File = csv.Name, Line = r.Line, Action = action, Kind = "movie", Title = name, Year = year,
            WatchedAt = TrackingRules.LocalToUtc(day.ToDateTime(TimeOnly.MinValue), options.Zone), DateOnly = true, Rating = rating,
        };
    }
}
