using System.Globalization;
using System.Text.Json;
using Watchlog.Accounts;
using Watchlog.Reports;
using Watchlog.Tracking;

namespace Watchlog.History.Formats;

/// <summary>
/// <c>watchlog</c>: Watchlog's own JSON export (docs/export.md), so an account moves between servers: check-ins with
/// their platform, rating and note; ratings with their dates; the watchlist with its dates, platform preference and
/// watched time. Titles are matched as the export documents: IMDb, TMDB, TVDB ids, then title + year + kind.
/// </summary>
public sealed class WatchlogFormat : IHistoryFormat
{
    public string Name => "watchlog";

    public ParsedFile Parse(ImportInput input, ImportOptions options)
    {
        var (path, content) = input.Single("watchlog-export.json");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(content); }
        catch (JsonException e) { throw new HistoryFileException($"The file is not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "format") != JsonExport.Format)
                throw new HistoryFileException($"This is not a Watchlog export (\"format\": \"{JsonExport.Format}\").");
            if (!root.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version) || version != JsonExport.Version)
                throw new HistoryFileException($"This Watchlog export's version is not {JsonExport.Version}, the one this server reads.");
            var rows = new List<ImportRow>();
            Each(root, "checkins", rows, RowAction.Watch, (line, e) =>
            {
                var row = Title(line, "checkins", RowAction.Watch, e);
                row = row with { WatchedAt = Instant(e, "watched_at"), Platform = Str(e, "platform"), Rating = Int(e, "rating"), Note = Str(e, "note") };
                if (e.TryGetProperty("episode", out var ep) && ep.ValueKind == JsonValueKind.Object)
                {
                    var ids = Obj(ep, "external_ids");
                    row = row with
                    {
                        Kind = "episode", Season = Int(ep, "season"), Episode = Int(ep, "number"), EpisodeTitle = Str(ep, "title"),
                        EpisodeImdbId = ids is { } i ? Str(i, "imdb") : null, EpisodeTmdbId = ids is { } t ? Int(t, "tmdb") : null,
                        EpisodeTvdbId = ids is { } d ? Int(d, "tvdb") : null,
                    };
                }
                return row;
            });
            Each(root, "ratings", rows, RowAction.Rating, (line, e) =>
                Title(line, "ratings", RowAction.Rating, e) with { Rating = Int(e, "rating"), WatchedAt = Instant(e, "rated_at") });
            Each(root, "watchlist", rows, RowAction.Watchlist, (line, e) =>
                Title(line, "watchlist", RowAction.Watchlist, e) with
                {
                    WatchedAt = Instant(e, "added_at"), Platform = Str(e, "platform_preference"),
                    WatchlistWatchedAt = e.TryGetProperty("watched_at", out var w) && w.ValueKind == JsonValueKind.String ? Instant(e, "watched_at") : null,
                });
            return new ParsedFile(rows) { Settings = Settings(root) };
        }
    }

    static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>The profile (names, time zone, region), preferences and platforms, checked as the settings endpoints check them.</summary>
    static AccountSettings Settings(JsonElement root)
    {
        static HistoryFileException Bad(string field, string why) => new($"{field} {why}");
        var settings = new AccountSettings();
        if (Obj(root, "profile") is { } profile)
        {
            string? zone = null, region = null;
            if (Str(profile, "time_zone") is { } z && (zone = AccountRules.TimeZone(z, out var e1)) is null) throw Bad("profile.time_zone", $"'{z}': {e1}");
            if (Str(profile, "region") is { } r && (region = AccountRules.Region(r, out var e2)) is null) throw Bad("profile.region", $"'{r}': {e2}");
            settings = settings with { FirstName = Str(profile, "first_name"), LastName = Str(profile, "last_name"), TimeZone = zone, Region = region };
        }
        if (Obj(root, "preferences") is { } prefs)
        {
            settings = settings with { Moods = Strings(prefs, "moods", "preferences.moods"), AvoidGenres = Strings(prefs, "avoid_genres", "preferences.avoid_genres") };
            if (Obj(prefs, "notifications") is { } n)
            {
                var email = Str(n, "email");
                if (email is not null && AccountRules.NormalizeEmail(email, out var e3) is null) throw Bad("preferences.notifications.email", $"'{email}': {e3}");
                var day = Str(n, "digest_day")?.ToLowerInvariant();
                if (day is not null && !Days.Contains(day)) throw Bad("preferences.notifications.digest_day", "is a day of the week: monday to sunday.");
                var hour = Int(n, "digest_hour");
                if (hour is < 0 or > 23) throw Bad("preferences.notifications.digest_hour", "is an hour from 0 to 23.");
                settings = settings with { Notifications = new NotificationSettings(email, Str(n, "telegram_chat_id"), day, hour) };
            }
        }
        if (root.TryGetProperty("platforms", out var platforms))
        {
            if (platforms.ValueKind != JsonValueKind.Array) throw Bad("platforms", "is a list of {slug, name}.");
            settings = settings with
            {
                Platforms = platforms.EnumerateArray().Select((p, i) => Str(p, "slug") ?? throw Bad($"platforms[{i}].slug", "is missing.")).ToList(),
            };
        }
        return settings;
    }

    static List<string>? Strings(JsonElement e, string name, string field)
    {
        if (!e.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null) return null;
        if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw new HistoryFileException($"{field} is a list of strings.");
        return list.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    static void Each(JsonElement root, string name, List<ImportRow> rows, RowAction action, Func<int, JsonElement, ImportRow> read)
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
            throw new HistoryFileException($"The export has no {name} list.");
        var line = 0;
        foreach (var e in list.EnumerateArray())
        {
            line++;
            try { rows.Add(read(line, e)); }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                rows.Add(ImportRow.Skip(name, line, action, $"{name}[{line - 1}] cannot be read: {ex.Message}"));
            }
        }
    }

    static ImportRow Title(int line, string file, RowAction action, JsonElement e)
    {
        var t = Obj(e, "title") ?? throw new FormatException("title is missing");
        var kind = Str(t, "kind");
        if (kind is not ("movie" or "series")) throw new FormatException("title.kind is movie or series");
        var ids = Obj(t, "external_ids");
        return new ImportRow
        {
            File = file, Line = line, Action = action, Kind = kind, Title = Str(t, "title") ?? throw new FormatException("title.title is missing"),
            Year = Int(t, "year"), ImdbId = ids is { } i ? Str(i, "imdb") : null, TmdbId = ids is { } m ? Int(m, "tmdb") : null, TvdbId = ids is { } d ? Int(d, "tvdb") : null,
        };
    }

    static JsonElement? Obj(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;
    static string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    static int? Int(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    static DateTime Instant(JsonElement e, string name)
    {
        var text = Str(e, name) ?? throw new FormatException($"{name} is missing");
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            throw new FormatException($"{name} '{text}' is not an ISO-8601 instant");
        return DateTime.SpecifyKind(at, DateTimeKind.Utc);
    }
}
