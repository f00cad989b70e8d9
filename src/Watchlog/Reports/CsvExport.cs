using System.Globalization;
using System.IO.Compression;
using System.Text;
using Watchlog.Tracking;

namespace Watchlog.Reports;

/// <summary>
/// The export as a zip of RFC 4180 CSV files (UTF-8 without BOM, CRLF line ends, a header row), written to a stream
/// entry by entry as the rows are read. The columns are listed in docs/export.md.
/// </summary>
public static class CsvExport
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static readonly string[] ProfileColumns = ["email", "first_name", "last_name", "time_zone", "region", "platforms", "moods", "avoid_genres",
        "notify_email", "telegram_chat_id", "digest_day", "digest_hour"];
    static readonly string[] TitleColumns = ["title", "kind", "year", "imdb", "tmdb", "tvdb"];
    public static readonly string[] CheckInColumns = ["watched_at", .. TitleColumns, "season", "episode", "episode_title",
        "episode_imdb", "episode_tmdb", "episode_tvdb", "platform", "rating", "note"];
    public static readonly string[] RatingColumns = [.. TitleColumns, "rating", "rated_at"];
    public static readonly string[] WatchlistColumns = [.. TitleColumns, "added_at", "platform_preference", "watched", "watched_at"];

    public static async Task WriteAsync(Stream body, ExportStore store, long userId, Preferences preferences, CancellationToken ct)
    {
        await using var conn = await store.OpenAsync(ct);
        var profile = await ExportStore.ProfileAsync(conn, userId, ct) ?? new ExportProfile();
        var platforms = await ExportStore.PlatformsAsync(conn, userId, ct);

        await using var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);

        await WriteEntryAsync(zip, "profile.csv", ProfileColumns, async csv =>
        {
            var n = preferences.Notifications;
            await csv.RowAsync(profile.Email, profile.FirstName, profile.LastName, profile.TimeZone, profile.Region,
                string.Join(';', platforms.Select(p => p.Slug)), string.Join(';', preferences.Moods), string.Join(';', preferences.AvoidGenres),
                n.Email, n.TelegramChatId, n.DigestDay, Number(n.DigestHour));
        }, ct);

        await WriteEntryAsync(zip, "checkins.csv", CheckInColumns, async csv =>
        {
            await foreach (var c in ExportStore.CheckInsAsync(conn, userId).WithCancellation(ct))
                await csv.RowAsync([Instant(c.WatchedAt), .. TitleFields(c.TitleRef), Number(c.Season), Number(c.Number), c.EpisodeTitle,
                    c.EpisodeImdbId, Number(c.EpisodeTmdbId), Number(c.EpisodeTvdbId), c.Platform, Number(c.Rating), c.Note]);
        }, ct);

        await WriteEntryAsync(zip, "ratings.csv", RatingColumns, async csv =>
        {
            await foreach (var r in ExportStore.RatingsAsync(conn, userId).WithCancellation(ct))
                await csv.RowAsync([.. TitleFields(r.TitleRef), Number(r.Rating), Instant(r.RatedAt)]);
        }, ct);

        await WriteEntryAsync(zip, "watchlist.csv", WatchlistColumns, async csv =>
        {
            await foreach (var w in ExportStore.WatchlistAsync(conn, userId).WithCancellation(ct))
                await csv.RowAsync([.. TitleFields(w.TitleRef), Instant(w.AddedAt), w.PlatformPreference,
                    w.WatchedAt is null ? "false" : "true", w.WatchedAt is { } at ? Instant(at) : null]);
        }, ct);
    }

    static async Task WriteEntryAsync(ZipArchive zip, string name, string[] header, Func<CsvWriter, Task> rows, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(ct);
        await using var writer = new StreamWriter(stream, Utf8, bufferSize: 32 * 1024);
        var csv = new CsvWriter(writer);
        await csv.RowAsync(header);
        await rows(csv);
        await writer.FlushAsync(ct);
    }

    static string?[] TitleFields(ExportTitle t) => [t.Title, t.Kind, Number(t.Year), t.ImdbId, Number(t.TmdbId), Number(t.TvdbId)];

    static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    static string Instant(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Writes RFC 4180 records: a field is quoted when it holds a comma, a quote, CR or LF (quotes doubled); null is empty.</summary>
public sealed class CsvWriter(TextWriter writer)
{
    public async Task RowAsync(params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) await writer.WriteAsync(',');
            await writer.WriteAsync(Quote(fields[i]));
        }
        await writer.WriteAsync("\r\n");
    }

    public static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field)) return "";
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
