using Watchlog.Catalog;
using Watchlog.Tracking;

namespace Watchlog.History.Formats;

/// <summary><c>netflix-history</c>: the per-profile <c>NetflixViewingHistory.csv</c> (<c>Title,Date</c>), any account locale (FORMATS.md A.1).</summary>
public sealed class NetflixHistoryFormat : IHistoryFormat
{
    public string Name => "netflix-history";

    public ParsedFile Parse(ImportInput input, ImportOptions options)
    {
        var (path, content) = input.Single("NetflixViewingHistory.csv");
        var csv = CsvFile.Read(path, content, "Title", "Date");
        if (csv.Header["Profile Name"] >= 0)
            throw new HistoryFileException("This is Netflix's full data download (ViewingActivity.csv): import it with format netflix-activity.");
        var dates = NetflixDates.Detect(csv.Records.Where(r => r.Error is null).Select(r => csv.Get(r, "Date")));

        // Shows that appear with a season label anywhere in the file: their label-less rows are episodes, not films.
        var parsed = csv.Records.Select(r => r.Error is null ? NetflixTitles.Parse(csv.Get(r, "Title")) : null).ToList();
        var labelled = parsed.Where(p => p is { HasLabel: true }).Select(p => Normalize.MatchKey(p!.Title)).ToHashSet();

        var rows = new List<ImportRow>(csv.Records.Count);
        for (var i = 0; i < csv.Records.Count; i++)
        {
            var r = csv.Records[i];
            if (r.Error is not null) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, r.Error)); continue; }
            var title = csv.Get(r, "Title");
            var dateText = csv.Get(r, "Date");
            if (title.Length == 0) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, "The Title is empty.")); continue; }
            if (dates.Read(dateText) is not { } day)
            {
                rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, $"'{dateText}' is not a date in this file's format ({dates.Description}).", title));
                continue;
            }
            var p = parsed[i]!.HasLabel ? parsed[i]! : NetflixTitles.Parse(title, labelled);
            rows.Add(new ImportRow
            {
                File = csv.Name, Line = r.Line, Action = RowAction.Watch, Kind = p.Kind, Title = p.Title, Season = p.Season, Episode = p.Episode,
                EpisodeTitle = p.EpisodeTitle, WatchedAt = TrackingRules.LocalToUtc(day.ToDateTime(TimeOnly.MinValue), options.Zone), DateOnly = true,
                Platform = "netflix", Readings = p.Readings,
            });
        }
        return new ParsedFile(rows);
    }
}
