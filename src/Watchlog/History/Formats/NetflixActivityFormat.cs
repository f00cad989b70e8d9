using System.Globalization;
using Watchlog.Catalog;

namespace Watchlog.History.Formats;

/// <summary>
/// <c>netflix-activity</c>: <c>ViewingActivity.csv</c> from Netflix's personal-data download (FORMATS.md A.2): every profile,
/// UTC session starts and durations. Trailers, hooks and previews are skipped; back-to-back sessions of one title (a
/// pause, another device) are one viewing; a viewing shorter than the threshold (5 min for an episode, 20 for a film by
/// default) is not counted as watched.
/// </summary>
public sealed class NetflixActivityFormat : IHistoryFormat
{
    /// <summary>Sessions of one title that start within this time of the previous one's end are one viewing.</summary>
    static readonly TimeSpan SessionGap = TimeSpan.FromHours(3);
    static readonly string[] PromoMarkers = ["_hook_", "(Clip)", "Clip:", "_CLIP_", "Trailer:", "(Trailer)", "_backfill"];

    public string Name => "netflix-activity";

    sealed record Session(int Line, string Profile, DateTime Start, TimeSpan Duration, string Title, NetflixTitles.Parsed Parsed);

    public ParsedFile Parse(ImportInput input, ImportOptions options)
    {
        var (path, content) = input.Single("ViewingActivity.csv");
        var csv = CsvFile.Read(path, content, "Profile Name", "Start Time", "Duration", "Title");
        var profiles = csv.Records.Where(r => r.Error is null).Select(r => csv.Get(r, "Profile Name")).Where(p => p.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (options.Profile is { Length: > 0 } wanted && !profiles.Contains(wanted, StringComparer.OrdinalIgnoreCase))
            throw new HistoryFileException($"The file has no profile '{wanted}'; its profiles are: {string.Join(", ", profiles)}.");

        var parsedTitles = new Dictionary<string, NetflixTitles.Parsed>(StringComparer.Ordinal);
        var rows = new List<ImportRow>();
        var sessions = new List<Session>();
        foreach (var r in csv.Records)
        {
            if (r.Error is not null) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, r.Error)); continue; }
            var profile = csv.Get(r, "Profile Name");
            if (options.Profile is { Length: > 0 } p && !profile.Equals(p, StringComparison.OrdinalIgnoreCase)) continue; // another person's
            var title = csv.Get(r, "Title");
            var supplemental = csv.Get(r, "Supplemental Video Type");
            if (supplemental.Length > 0) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, $"Not a viewing: {supplemental.ToLowerInvariant()}.", title)); continue; }
            if (PromoMarkers.Any(m => title.Contains(m, StringComparison.OrdinalIgnoreCase)))
            { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, "Not a viewing: a promotional clip.", title)); continue; }
            if (title.Length == 0) { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, "The Title is empty.")); continue; }
            if (!DateTime.TryParseExact(csv.Get(r, "Start Time"), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start))
            { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, $"'{csv.Get(r, "Start Time")}' is not a Start Time (YYYY-MM-DD HH:MM:SS, UTC).", title)); continue; }
            if (!TimeSpan.TryParseExact(csv.Get(r, "Duration"), @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var duration))
            { rows.Add(ImportRow.Skip(csv.Name, r.Line, RowAction.Watch, $"'{csv.Get(r, "Duration")}' is not a Duration (HH:MM:SS).", title)); continue; }
            if (!parsedTitles.TryGetValue(title, out var parsed)) parsedTitles[title] = parsed = NetflixTitles.Parse(title);
            sessions.Add(new Session(r.Line, profile, DateTime.SpecifyKind(start, DateTimeKind.Utc), duration, title, parsed));
        }

        // Label-less titles of shows seen with a season label are episodes.
        var labelled = parsedTitles.Values.Where(p => p.HasLabel).Select(p => Normalize.MatchKey(p.Title)).ToHashSet();
        foreach (var (title, p) in parsedTitles.ToList())
            if (!p.HasLabel) parsedTitles[title] = NetflixTitles.Parse(title, labelled);

        // One viewing per title and profile per sitting: sessions in time order, merged while the next starts soon after.
        foreach (var group in sessions.GroupBy(s => (s.Profile.ToLowerInvariant(), s.Title)))
        {
            Session? first = null;
            var end = DateTime.MinValue;
            var watched = TimeSpan.Zero;
            var lines = new List<int>();
            foreach (var s in group.OrderBy(s => s.Start).Append(null))
            {
                if (first is not null && (s is null || s.Start - end > SessionGap))
                {
                    rows.Add(Viewing(csv.Name, first, parsedTitles[first.Title], watched, lines, options));
                    foreach (var later in lines.Skip(1))
                        rows.Add(ImportRow.Skip(csv.Name, later, RowAction.Watch, $"The same viewing as line {first.Line} (a paused or resumed session).", first.Title));
                    first = null;
                }
                if (s is null) break;
                if (first is null) { first = s; watched = TimeSpan.Zero; lines = []; }
                watched += s.Duration;
                lines.Add(s.Line);
                end = s.Start + s.Duration;
            }
        }
        return new ParsedFile(rows.OrderBy(r => r.Line).ToList());
    }

    static ImportRow Viewing(string file, Session first, NetflixTitles.Parsed p, TimeSpan watched, List<int> lines, ImportOptions options)
    {
        var film = p.Kind == "movie" || (p.Kind is null && p.Readings.Any(r => r.Kind == "movie"));
        var minimum = film ? options.MinMovieSession : options.MinEpisodeSession;
        var merged = lines.Count > 1 ? $" (sessions on lines {string.Join(", ", lines)})" : "";
        var row = new ImportRow
        {
            File = file, Line = first.Line, Action = RowAction.Watch, Kind = p.Kind, Title = p.Title, Season = p.Season, Episode = p.Episode,
            EpisodeTitle = p.EpisodeTitle, WatchedAt = first.Start, Platform = "netflix", Readings = p.Readings,
            Note = null,
        };
        if (watched < minimum)
            return row with { SkipReason = $"Watched {watched:hh\\:mm\\:ss}{merged}, less than the {minimum.TotalMinutes:0} minutes that count as watched." };
        return row;
    }
}
