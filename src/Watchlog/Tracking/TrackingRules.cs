using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary>What the viewing log's fields may hold, and the user's calendar. Each check adds to <see cref="FieldErrors"/>.</summary>
public static class TrackingRules
{
    public const int MaxNoteLength = 1000;
    /// <summary>A check-in may be dated up to a day ahead (time zones, clocks); further is a mistake.</summary>
    public static readonly TimeSpan FutureAllowance = TimeSpan.FromDays(1);
    static readonly DateTime Earliest = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The date it is now where the user lives.</summary>
    public static DateOnly Today(TimeProvider clock, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    /// <summary>A wall-clock time in <paramref name="zone"/> as UTC; a time skipped by a DST change moves forward an hour.</summary>
    public static DateTime LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>
    /// An ISO-8601 instant. With an offset or 'Z' it means that instant; without one it is the user's wall-clock
    /// time ("2026-11-21T20:30" in their zone).
    /// </summary>
    public static bool TryParseInstant(string input, TimeZoneInfo zone, out DateTime utc)
    {
        utc = default;
        var s = input.Trim();
        if (s.Length < 16 || s[4] != '-' || s[10] is not ('T' or 't' or ' ')) return false;
        var hasOffset = s.EndsWith('Z') || s.EndsWith('z') || s.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset)
        {
            if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto) || !Plausible(dto.Year)) return false;
            utc = dto.UtcDateTime;
            return true;
        }
        if (!DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || !Plausible(local.Year)) return false;
        utc = LocalToUtc(local, zone);
        return true;
    }

    /// <summary>Years far enough from DateTime's ends that converting between zones can't overflow.</summary>
    public static bool Plausible(int year) => year is >= 1800 and <= 9000;

    /// <summary>
    /// An instant cut to whole microseconds: what PostgreSQL's timestamptz keeps, so both engines store (and page
    /// through) the same values.
    /// </summary>
    public static DateTime ToMicroseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>When a check-in happened: absent means now; never more than a day ahead. Whole microseconds.</summary>
    public static DateTime WatchedAt(string? input, DateTime now, TimeZoneInfo zone, FieldErrors errors) =>
        ToMicroseconds(ParseWatchedAt(input, now, zone, errors));

    static DateTime ParseWatchedAt(string? input, DateTime now, TimeZoneInfo zone, FieldErrors errors)
    {
        if (input is null) return now;
        if (!TryParseInstant(input, zone, out var at))
        {
            errors.Add("watched_at", "Use an ISO-8601 instant such as '2026-11-21T20:30:00Z' (without an offset it is your local time).");
            return now;
        }
        if (at > now + FutureAllowance) errors.Add("watched_at", "watched_at is more than a day in the future.");
        else if (at < Earliest) errors.Add("watched_at", "watched_at is before 1900.");
        return at;
    }

    /// <summary>A rating: a whole number from 1 to 10, or absent (null).</summary>
    public static int? Rating(JsonElement value, FieldErrors errors, string field = "rating", bool required = false)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (required) errors.Add(field, "Send a rating: a whole number from 1 to 10.");
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 1 and <= 10) return n;
        errors.Add(field, "A rating is a whole number from 1 to 10.");
        return null;
    }

    /// <summary>A free-text note: trimmed, at most 1000 characters, no control characters but line breaks and tabs; empty is none.</summary>
    public static string? Note(string? input, FieldErrors errors)
    {
        if (input is null) return null;
        var s = Text(input);
        if (s is null || s.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors.Add("note", "A note must be plain text.");
            return null;
        }
        if (s.Length > MaxNoteLength)
        {
            errors.Add("note", $"A note has at most {MaxNoteLength} characters.");
            return null;
        }
        return s.Length == 0 ? null : s;
    }

    /// <summary>Trimmed and NFC; null when the text is not valid Unicode (a lone surrogate PostgreSQL can't store).</summary>
    public static string? Text(string input)
    {
        try { return input.Trim().Normalize(NormalizationForm.FormC); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>An optional whole-number query parameter within a range.</summary>
    public static int? QueryInt(string? input, string field, int min, int max, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(input)) return null;
        if (int.TryParse(input, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        errors.Add(field, $"{field} is a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>An optional positive id in a query parameter.</summary>
    public static long? QueryId(string? input, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(input)) return null;
        if (long.TryParse(input, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        errors.Add(field, $"{field} is a positive whole number (an id).");
        return null;
    }

    /// <summary>Whether the catalog has a title with this id (a write naming an unknown title is a 404).</summary>
    public static async Task<bool> TitleExistsAsync(Db db, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM titles WHERE id = @id", new { id }, cancellationToken: ct)) is not null;
    }

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
