using System.Globalization;
using System.Text.Json;
using Watchlog.Tracking;

namespace Watchlog.Reports;

/// <summary>
/// Writes the export as one JSON document (docs/export.md) to a stream as the rows are read, flushing every
/// <see cref="FlushBytes"/> bytes, so the whole document is never held in memory.
/// </summary>
public static class JsonExport
{
    public const string Format = "watchlog-export";
    public const int Version = 1;
    const int FlushBytes = 32 * 1024;

    public static async Task WriteAsync(Stream body, ExportStore store, long userId, Preferences preferences, DateTime exportedAt, CancellationToken ct)
    {
        await using var conn = await store.OpenAsync(ct);
        var profile = await ExportStore.ProfileAsync(conn, userId, ct) ?? new ExportProfile();
        var platforms = await ExportStore.PlatformsAsync(conn, userId, ct);

        await using var json = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteString("exported_at", exportedAt);

        json.WriteStartObject("profile");
        json.WriteString("email", profile.Email);
        json.WriteString("first_name", profile.FirstName);
        json.WriteString("last_name", profile.LastName);
        json.WriteString("time_zone", profile.TimeZone);
        json.WriteString("region", profile.Region);
        json.WriteEndObject();

        json.WriteStartObject("preferences");
        json.WriteStartArray("moods");
        foreach (var mood in preferences.Moods) json.WriteStringValue(mood);
        json.WriteEndArray();
        json.WriteStartArray("avoid_genres");
        foreach (var genre in preferences.AvoidGenres) json.WriteStringValue(genre);
        json.WriteEndArray();
        json.WriteStartObject("notifications");
        var n = preferences.Notifications;
        WriteNullable(json, "email", n.Email);
        WriteNullable(json, "telegram_chat_id", n.TelegramChatId);
        WriteNullable(json, "digest_day", n.DigestDay);
        WriteNullable(json, "digest_hour", n.DigestHour);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("platforms");
        foreach (var p in platforms)
        {
            json.WriteStartObject();
            json.WriteString("slug", p.Slug);
            json.WriteString("name", p.Name);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("checkins");
        await foreach (var c in ExportStore.CheckInsAsync(conn, userId).WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteString("watched_at", c.WatchedAt);
            WriteTitle(json, c);
            if (c.EpisodeId is null) json.WriteNull("episode");
            else
            {
                json.WriteStartObject("episode");
                WriteNullable(json, "season", c.Season);
                WriteNullable(json, "number", c.Number);
                WriteNullable(json, "title", c.EpisodeTitle);
                WriteExternalIds(json, c.EpisodeImdbId, c.EpisodeTmdbId, c.EpisodeTvdbId);
                json.WriteEndObject();
            }
            WriteNullable(json, "platform", c.Platform);
            WriteNullable(json, "rating", c.Rating);
            WriteNullable(json, "note", c.Note);
            json.WriteEndObject();
            await FlushIfFullAsync(json, ct);
        }
        json.WriteEndArray();

        json.WriteStartArray("ratings");
        await foreach (var r in ExportStore.RatingsAsync(conn, userId).WithCancellation(ct))
        {
            json.WriteStartObject();
            WriteTitle(json, r);
            json.WriteNumber("rating", r.Rating);
            json.WriteString("rated_at", r.RatedAt);
            json.WriteEndObject();
            await FlushIfFullAsync(json, ct);
        }
        json.WriteEndArray();

        json.WriteStartArray("watchlist");
        await foreach (var w in ExportStore.WatchlistAsync(conn, userId).WithCancellation(ct))
        {
            json.WriteStartObject();
            WriteTitle(json, w);
            json.WriteString("added_at", w.AddedAt);
            WriteNullable(json, "platform_preference", w.PlatformPreference);
            json.WriteBoolean("watched", w.WatchedAt is not null);
            if (w.WatchedAt is { } watchedAt) json.WriteString("watched_at", watchedAt);
            else json.WriteNull("watched_at");
            json.WriteEndObject();
            await FlushIfFullAsync(json, ct);
        }
        json.WriteEndArray();

        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    static async ValueTask FlushIfFullAsync(Utf8JsonWriter json, CancellationToken ct)
    {
        if (json.BytesPending >= FlushBytes) await json.FlushAsync(ct);
    }

    static void WriteTitle(Utf8JsonWriter json, ExportTitle t)
    {
        json.WriteStartObject("title");
        json.WriteString("title", t.Title);
        json.WriteString("kind", t.Kind);
        WriteNullable(json, "year", t.Year);
        WriteExternalIds(json, t.ImdbId, t.TmdbId, t.TvdbId);
        json.WriteEndObject();
    }

    static void WriteExternalIds(Utf8JsonWriter json, string? imdb, long? tmdb, long? tvdb)
    {
        json.WriteStartObject("external_ids");
        WriteNullable(json, "imdb", imdb);
        WriteNullable(json, "tmdb", tmdb);
        WriteNullable(json, "tvdb", tvdb);
        json.WriteEndObject();
    }

    static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    /// <summary>The attachment's name: the export's date in the user's zone.</summary>
    public static string FileName(DateTime exportedAt, TimeZoneInfo zone, string extension) =>
        $"watchlog-export-{TimeZoneInfo.ConvertTimeFromUtc(exportedAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{extension}";
}
