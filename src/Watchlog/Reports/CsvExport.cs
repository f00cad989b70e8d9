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

        // ZipArchive still writes some headers synchronously, which Kestrel refuses: it writes into a buffer that is
        // drained to the response asynchronously after every row that fills it, so memory stays at about one buffer.
        var sink = new DrainedStream(body);
        var zip = await ZipArchive.CreateAsync(sink, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);

        await WriteEntryAsync(zip, sink, "profile.csv", ProfileColumns, async csv =>
        {
            var n = preferences.Notifications;
            await csv.RowAsync(profile.Email, profile.FirstName, profile.LastName, profile.TimeZone, profile.Region,
                string.Join(';', platforms.Select(p => p.Slug)), string.Join(';', preferences.Moods), string.Join(';', preferences.AvoidGenres),
                n.Email, n.TelegramChatId, n.DigestDay, Number(n.DigestHour));
        }, ct);

        await WriteEntryAsync(zip, sink, "checkins.csv", CheckInColumns, async csv =>
        {
            await foreach (var c in ExportStore.CheckInsAsync(conn, userId).WithCancellation(ct))
                await csv.RowAsync([Instant(c.WatchedAt), .. TitleFields(c), Number(c.Season), Number(c.Number), c.EpisodeTitle,
                    c.EpisodeImdbId, Number(c.EpisodeTmdbId), Number(c.EpisodeTvdbId), c.Platform, Number(c.Rating), c.Note]);
        }, ct);

        await WriteEntryAsync(zip, sink, "ratings.csv", RatingColumns, async csv =>
        {
            await foreach (var r in ExportStore.RatingsAsync(conn, userId).WithCancellation(ct))
                await csv.RowAsync([.. TitleFields(r), Number(r.Rating), Instant(r.RatedAt)]);
        }, ct);

        await WriteEntryAsync(zip, sink, "watchlist.csv", WatchlistColumns, async csv =>
        {
            await foreach (var w in ExportStore.WatchlistAsync(conn, userId).WithCancellation(ct))
                await csv.RowAsync([.. TitleFields(w), Instant(w.AddedAt), w.PlatformPreference,
                    w.WatchedAt is null ? "false" : "true", w.WatchedAt is { } at ? Instant(at) : null]);
        }, ct);

        await zip.DisposeAsync(); // the central directory
        await sink.DrainAsync(ct);
    }

    static async Task WriteEntryAsync(ZipArchive zip, DrainedStream sink, string name, string[] header, Func<CsvWriter, Task> rows, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(ct);
        await using var writer = new StreamWriter(stream, Utf8, bufferSize: 32 * 1024);
        var csv = new CsvWriter(writer, async () =>
        {
            // What the compressor has let out so far; flushing it here would cost compression.
            if (sink.Full) await sink.DrainAsync(ct);
        });
        await csv.RowAsync(header);
        await rows(csv);
        await writer.FlushAsync(ct);
        await writer.DisposeAsync();
        await stream.DisposeAsync(); // the entry's data descriptor
        await sink.DrainAsync(ct);
    }

    static string?[] TitleFields(ExportTitle t) => [t.Title, t.Kind, Number(t.Year), t.ImdbId, Number(t.TmdbId), Number(t.TvdbId)];

    static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    static string Instant(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Writes RFC 4180 records: a field is quoted when it holds a comma, a quote, CR or LF (quotes doubled); null is empty.</summary>
public sealed class CsvWriter(TextWriter writer, Func<Task>? afterRow = null)
{
    public async Task RowAsync(params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) await writer.WriteAsync(',');
            await writer.WriteAsync(Quote(fields[i]));
        }
        await writer.WriteAsync("\r\n");
        if (afterRow is not null) await afterRow();
    }

    public static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field)) return "";
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

/// <summary>
/// A write-only stream that collects writes (synchronous or not) in memory until <see cref="DrainAsync"/> copies them
/// to the inner stream asynchronously; <see cref="Full"/> says when that is due.
/// </summary>
sealed class DrainedStream(Stream inner) : Stream
{
    const int DrainBytes = 64 * 1024;
    readonly MemoryStream _buffer = new();
    long _written;

    public bool Full => _buffer.Length >= DrainBytes;

    public async Task DrainAsync(CancellationToken ct)
    {
        if (_buffer.Length == 0) return;
        await inner.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
        await inner.FlushAsync(ct);
        _buffer.SetLength(0);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _buffer.Write(buffer);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
