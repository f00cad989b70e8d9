using System.Globalization;
using Watchlog.Tracking;

namespace Watchlog.History.Formats;

/// <summary>
/// <c>imdb-ratings</c>: IMDb's "Your ratings" export, current and older headers (FORMATS.md D.1), matched by the IMDb id.
/// Films and series become ratings; a rated episode becomes a viewing of the episode with that rating (Watchlog rates
/// whole titles, and a check-in carries the episode's own rating). Games, podcasts and music videos are skipped.
/// </summary>
public sealed class ImdbRatingsFormat : IHistoryFormat
{
    public string Name => "imdb-ratings";

    static string? KindOf(string type) => type.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) switch
    {
        "movie" or "tvmovie" or "tvspecial" or "short" or "tvshort" or "video" or "film" or "filmtv" or "fernsehfilm" or "película" or "téléfilm" => "movie",
        "tvseries" or "tvminiseries" or "serietv" or "fernsehserie" or "miniserie" or "serie" or "série" or "sérietv" or "minisérie" => "series",
        "tvepisode" or "episode" or "episodio" or "épisode" or "folge" => "episode",
        _ => null,
    };

    public ParsedFile Parse(ImportInput input, ImportOptions options)
    {
        var (path, content) = input.Single("ratings.csv");
        var csv = CsvFile.Read(path, content, "Const", "Your Rating", "Title Type");
        var rows = new List<ImportRow>();
        foreach (var r in csv.Records)
        {
            if (r.Error is not null) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Rating, r.Error)); continue; }
            var id = csv.Get(r, "Const");
            var title = csv.Get(r, "Title");
            var type = csv.Get(r, "Title Type");
            if (!id.StartsWith("tt", StringComparison.Ordinal) || id.Length < 9 || !id[2..].All(char.IsAsciiDigit))
            { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Rating, $"'{id}' is not an IMDb id (tt and 7–8 digits).", title)); continue; }
            if (KindOf(type) is not { } kind) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Rating, $"Watchlog doesn't track {type} titles.", title)); continue; }
            if (!int.TryParse(csv.Get(r, "Your Rating"), NumberStyles.None, CultureInfo.InvariantCulture, out var rating) || rating is < 1 or > 10)
            { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Rating, $"'{csv.Get(r, "Your Rating")}' is not a rating from 1 to 10.", title)); continue; }
            var dateText = csv.Get(r, "Date Rated");
            DateTime? ratedAt = null;
            if (dateText.Length > 0)
            {
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Rating, $"'{dateText}' is not a Date Rated (YYYY-MM-DD).", title)); continue; }
                ratedAt = TrackingRules.LocalToUtc(day.ToDateTime(TimeOnly.MinValue), options.Zone);
            }
            // Year: the start year ("2013–2023" in list exports).
            var yearText = csv.Get(r, "Year");
            int? year = yearText.Length >= 4 && int.TryParse(yearText.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : null;
            if (kind == "episode")
            {
                if (ratedAt is null) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, "A rated episode needs its Date Rated to be a viewing.", title)); continue; }
                rows.Add(new ImportRow
                {
                    File = csv.Name, Line = r.Line, Action = RowAction.Watch, Kind = "episode", Title = title, Year = year, EpisodeImdbId = id,
                    IdsOnly = true, Rating = rating, WatchedAt = ratedAt, DateOnly = true,
                });
                continue;
            }
            rows.Add(new ImportRow
            {
                File = csv.Name, Line = r.Line, Action = RowAction.Rating, Kind = kind, Title = title, Year = year, ImdbId = id, Rating = rating,
                WatchedAt = ratedAt, DateOnly = ratedAt is not null,
            });
        }
        return new ParsedFile(rows);
    }
}
