using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Watchlog.Accounts;
using Watchlog.Catalog;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary>
/// PUT /api/me/platforms and PATCH /api/me/preferences: checks every value (platforms and genres against the
/// catalog) and answers a 400 naming each field that is wrong, e.g. <c>platforms[2]</c> or <c>notifications.digest_day</c>.
/// </summary>
public sealed partial class UpdatePreferences(PreferenceStore store, PlatformDirectory platforms, TimeProvider clock)
{
    public const int MaxPlatforms = 100;
    public const int MaxMoods = 20;
    public const int MaxMoodLength = 40;
    public const int MaxAvoidGenres = 50;
    static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [GeneratedRegex(@"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")]
    private static partial Regex TelegramChat();

    public async Task<(MyPlatforms? Result, FieldErrors? Errors)> SetPlatformsAsync(CurrentUser me, PlatformsRequest body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var region = body.Region is null ? null : AccountRules.Region(body.Region, out var regionError) ?? Add(errors, "region", regionError);
        if (body.Region is null) errors.Add("region", "Send your region: a two-letter code such as 'US' or 'GB'.");
        var names = Strings(body.Platforms, "platforms", MaxPlatforms, errors, required: true);
        var ids = new List<long>();
        if (names is not null)
        {
            var found = await platforms.FindAllAsync(names.Select(n => n.Value).ToList(), ct);
            for (var i = 0; i < names.Count; i++)
            {
                if (found[i] is { } p) { if (!ids.Contains(p.Id)) ids.Add(p.Id); }
                else errors.Add($"platforms[{names[i].Index}]", $"Unknown platform '{names[i].Value}': use a slug or name from GET /api/platforms.");
            }
        }
        if (errors.Any) return (null, errors);
        await store.SetPlatformsAsync(me.Id, region!, ids, clock.GetUtcNow().UtcDateTime, ct);
        return (await store.GetPlatformsAsync(me.Id, ct), null);
    }

    public async Task<(Preferences? Result, FieldErrors? Errors)> PatchAsync(CurrentUser me, PreferencesRequest body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        IReadOnlyList<string>? moods = null;
        if (body.Moods.ValueKind == JsonValueKind.Null) moods = [];
        else if (Strings(body.Moods, "moods", MaxMoods, errors, required: false) is { } given)
        {
            var list = new List<string>();
            foreach (var (index, value) in given)
            {
                var mood = TrackingRules.Text(value)?.ToLowerInvariant();
                if (mood is null || mood.Length is 0 or > MaxMoodLength || mood.Any(char.IsControl))
                    errors.Add($"moods[{index}]", $"A mood is a word or short phrase of 1 to {MaxMoodLength} characters.");
                else if (!list.Contains(mood)) list.Add(mood);
            }
            moods = list;
        }

        IReadOnlyList<long>? genreIds = null;
        if (body.AvoidGenres.ValueKind == JsonValueKind.Null) genreIds = [];
        else if (Strings(body.AvoidGenres, "avoid_genres", MaxAvoidGenres, errors, required: false) is { } genres)
        {
            var known = await store.GenreIdsAsync(genres.Select(g => Normalize.Slug(g.Value)).Distinct().ToList(), ct);
            var list = new List<long>();
            foreach (var (index, value) in genres)
            {
                if (known.TryGetValue(Normalize.Slug(value), out var id)) { if (!list.Contains(id)) list.Add(id); }
                else errors.Add($"avoid_genres[{index}]", $"Unknown genre '{value}': use a genre's slug or name as titles list them.");
            }
            genreIds = list;
        }

        Change<string?>? email = null, telegram = null, day = null;
        Change<int?>? hour = null;
        var n = body.Notifications;
        if (n.ValueKind == JsonValueKind.Null)
        {
            (email, telegram, day, hour) = (new(null), new(null), new(null), new(null));
        }
        else if (n.ValueKind == JsonValueKind.Object)
        {
            email = Optional(n, "email", errors, (v, field) =>
            {
                var address = AccountRules.NormalizeEmail(v, out var error);
                if (error is not null) errors.Add(field, error);
                return address;
            });
            telegram = Optional(n, "telegram_chat_id", errors, (v, field) =>
            {
                if (TelegramChat().IsMatch(v)) return v;
                errors.Add(field, "A Telegram chat id is a number (negative for groups) or a public @channel name.");
                return null;
            }, allowNumber: true);
            day = Optional(n, "digest_day", errors, (v, field) =>
            {
                var d = v.ToLowerInvariant();
                if (Days.Contains(d)) return d;
                errors.Add(field, "Use a day of the week: monday to sunday.");
                return null;
            });
            if (n.TryGetProperty("digest_hour", out var h))
            {
                if (h.ValueKind == JsonValueKind.Null) hour = new(null);
                else if (h.ValueKind == JsonValueKind.Number && h.TryGetInt32(out var value) && value is >= 0 and <= 23) hour = new(value);
                else errors.Add("notifications.digest_hour", "digest_hour is a whole number from 0 to 23 (in your time zone).");
            }
        }
        else if (n.ValueKind != JsonValueKind.Undefined)
        {
            errors.Add("notifications", "notifications is an object: {email, telegram_chat_id, digest_day, digest_hour}.");
        }

        if (errors.Any) return (null, errors);
        var patch = new PreferencesPatch(moods, genreIds, email, telegram, day, hour);
        return (await store.PatchAsync(me.Id, patch, clock.GetUtcNow().UtcDateTime, ct), null);
    }

    /// <summary>
    /// A notification setting: absent keeps it, null or "" clears it, a string (or, where allowed, a whole number) is
    /// checked by <paramref name="check"/>.
    /// </summary>
    static Change<string?>? Optional(JsonElement parent, string name, FieldErrors errors, Func<string, string, string?> check, bool allowNumber = false)
    {
        if (!parent.TryGetProperty(name, out var value)) return null;
        var field = "notifications." + name;
        string? text = value.ValueKind switch
        {
            JsonValueKind.Null => "",
            JsonValueKind.String => TrackingRules.Text(value.GetString()!),
            JsonValueKind.Number when allowNumber && value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        if (text is null)
        {
            errors.Add(field, allowNumber ? "Expected a string or a whole number." : "Expected a string.");
            return null;
        }
        if (text.Length == 0) return new Change<string?>(null);
        var checkedValue = check(text, field);
        return checkedValue is null ? null : new Change<string?>(checkedValue);
    }

    /// <summary>A JSON array of strings, each with its index; null when absent (or wrong, with errors added).</summary>
    static List<(int Index, string Value)>? Strings(JsonElement value, string field, int max, FieldErrors errors, bool required)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (required) errors.Add(field, $"Send {field} as an array of strings (it may be empty).");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, $"{field} is an array of strings.");
            return null;
        }
        if (value.GetArrayLength() > max)
        {
            errors.Add(field, $"{field} holds at most {max} entries.");
            return null;
        }
        var list = new List<(int, string)>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } s && TrackingRules.Text(s) is { Length: > 0 } text) list.Add((i, text));
            else errors.Add($"{field}[{i}]", "Expected a non-empty string.");
            i++;
        }
        return list;
    }

    static string? Add(FieldErrors errors, string field, string? message)
    {
        errors.Add(field, message!);
        return null;
    }
}
