using System.Globalization;
using System.Text.Json;

namespace Watchlog.Webhooks;

/// <summary>A media server's playback event, reduced to what a check-in needs (FORMATS.md H).</summary>
public sealed record Scrobble(string Event, bool Completed, string? Kind, string? Title, int? Year, string? Series, int? Season, int? Episode,
    string? ImdbId, int? TmdbId, int? TvdbId, DateTime? At);

/// <summary>The payload can't be read: answered 400, nothing written.</summary>
public sealed class PayloadException(string message) : Exception(message);

/// <summary>Reads Jellyfin (webhook plugin: "Send All Properties" JSON or a template's strings), Plex and Emby payloads.</summary>
public static class ScrobbleParser
{
    public const double CompletedShare = 0.8;

    static JsonElement? Prop(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in e.EnumerateObject())
            if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    static string? Str(JsonElement e, string name) => Prop(e, name) is { } v ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    } : null;

    static long? Long(JsonElement e, string name) =>
        Str(e, name) is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : null;

    static int? Int(JsonElement e, string name) => Long(e, name) is { } l && l is >= int.MinValue and <= int.MaxValue ? (int)l : null;

    /// <summary>true, "true", "True", 1: templates render booleans as strings.</summary>
    static bool Bool(JsonElement e, string name) => Str(e, name) is { } s && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1");

    static DateTime? Instant(JsonElement e, string name) =>
        Str(e, name) is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
        && s.Contains('T') ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null;

    static bool Share(long? position, long? runtime) => position is > 0 && runtime is > 0 && (double)position.Value / runtime.Value >= CompletedShare;

    static JsonElement Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new PayloadException("The payload is not a JSON object.");
            return doc.RootElement.Clone();
        }
        catch (JsonException e) { throw new PayloadException($"The payload is not valid JSON: {e.Message}"); }
    }

    static string? Kind(string? type) => type?.ToLowerInvariant() switch { "movie" => "movie", "episode" => "episode", _ => null };

    public static Scrobble Jellyfin(string json)
    {
        var p = Parse(json);
        var type = Str(p, "NotificationType") ?? throw new PayloadException("NotificationType is missing: enable \"Send All Properties\" or include it in the template.");
        var kind = Kind(Str(p, "ItemType"));
        var completed = type switch
        {
            "PlaybackStop" => Bool(p, "PlayedToCompletion") || Share(Long(p, "PlaybackPositionTicks"), Long(p, "RunTimeTicks")),
            "UserDataSaved" => Bool(p, "Played") && Str(p, "SaveReason") is "PlaybackFinished" or "TogglePlayed",
            _ => false,
        };
        // Provider ids are the item's own: an episode's ids are the episode's, never the series'.
        return new Scrobble(type, completed, kind, Str(p, "Name"), kind == "movie" ? Int(p, "Year") : null, Str(p, "SeriesName"),
            Int(p, "SeasonNumber"), Int(p, "EpisodeNumber"), Str(p, "Provider_imdb"), Int(p, "Provider_tmdb"), Int(p, "Provider_tvdb"), Instant(p, "UtcTimestamp"));
    }

    public static Scrobble Plex(string json)
    {
        var p = Parse(json);
        var type = Str(p, "event") ?? throw new PayloadException("event is missing.");
        var m = Prop(p, "Metadata") ?? throw new PayloadException("Metadata is missing.");
        var kind = Kind(Str(m, "type"));
        string? imdb = null;
        int? tmdb = null, tvdb = null;
        if (Prop(m, "Guid") is { ValueKind: JsonValueKind.Array } guids)
            foreach (var g in guids.EnumerateArray())
                if (Str(g, "id") is { } id) Id(id, ref imdb, ref tmdb, ref tvdb);
        if (Str(m, "guid") is { } legacy && legacy.StartsWith("com.plexapp.agents.", StringComparison.Ordinal))
        {
            // com.plexapp.agents.imdb://tt0137523?lang=en, themoviedb://27205, thetvdb://81189/5/14 (the show's id; the numbers say the episode)
            var rest = legacy["com.plexapp.agents.".Length..].Split('?')[0];
            var parts = rest.Split("://");
            if (parts.Length == 2 && kind == "movie") Id(parts[0].Replace("themoviedb", "tmdb").Replace("thetvdb", "tvdb") + "://" + parts[1], ref imdb, ref tmdb, ref tvdb);
        }
        var completed = type == "media.scrobble" || (type == "media.stop" && Share(Long(m, "viewOffset"), Long(m, "duration")));
        return new Scrobble(type, completed, kind, Str(m, "title"), kind == "movie" ? Int(m, "year") : null, Str(m, "grandparentTitle"),
            Int(m, "parentIndex"), Int(m, "index"), imdb, tmdb, tvdb, null);
    }

    static void Id(string id, ref string? imdb, ref int? tmdb, ref int? tvdb)
    {
        var parts = id.Split("://");
        if (parts.Length != 2) return;
        var value = parts[1].Split('/', '?')[0];
        switch (parts[0])
        {
            case "imdb" when value.StartsWith("tt", StringComparison.Ordinal): imdb = value; break;
            case "tmdb" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t): tmdb = t; break;
            case "tvdb" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v): tvdb = v; break;
        }
    }

    public static Scrobble Emby(string json)
    {
        var p = Parse(json);
        if (Str(p, "NotificationType") is not null) return Jellyfin(json); // older Emby plugins send Jellyfin-like flat keys
        var type = Str(p, "Event") ?? throw new PayloadException("Event is missing.");
        var item = Prop(p, "Item") ?? throw new PayloadException("Item is missing.");
        var kind = Kind(Str(item, "Type"));
        var info = Prop(p, "PlaybackInfo");
        var completed = type switch
        {
            "playback.stop" => info is { } i && (Bool(i, "PlayedToCompletion") || Share(Long(i, "PositionTicks"), Long(item, "RunTimeTicks"))),
            "item.markplayed" => true,
            _ => false,
        };
        var ids = Prop(item, "ProviderIds");
        return new Scrobble(type, completed, kind, Str(item, "Name"), kind == "movie" ? Int(item, "ProductionYear") : null, Str(item, "SeriesName"),
            Int(item, "ParentIndexNumber"), Int(item, "IndexNumber"), ids is { } a ? Str(a, "Imdb") : null, ids is { } b ? Int(b, "Tmdb") : null,
            ids is { } c ? Int(c, "Tvdb") : null, Instant(p, "Date"));
    }
}
