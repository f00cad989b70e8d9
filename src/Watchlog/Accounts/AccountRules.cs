using System.Net.Mail;
using System.Text;

namespace Watchlog.Accounts;

/// <summary>What account fields may hold, and their normalized forms. Each check returns an error message or null.</summary>
public static class AccountRules
{
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 100;

    /// <summary>Trimmed, NFC, lower-case; or null with <paramref name="error"/> saying why the address is refused.</summary>
    public static string? NormalizeEmail(string? input, out string? error)
    {
        var s = Text(input);
        error = s is null ? "This is not a valid email address." : Email(s);
        return error is null ? s!.ToLowerInvariant() : null;
    }

    /// <summary>
    /// The form sign-in attempts are looked up and counted under, valid address or not: never anything PostgreSQL
    /// refuses to store (NUL, lone surrogates), so a hostile sign-in is a 401 like any other.
    /// </summary>
    public static string EmailKey(string? input)
    {
        var s = new string((input ?? "").Where(c => !char.IsControl(c)).ToArray());
        s = (Text(s) ?? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)).Trim()).ToLowerInvariant();
        return s.Length > MaxEmailLength ? s[..MaxEmailLength] : s;
    }

    /// <summary>Trimmed and NFC; null when the text is not valid Unicode (a lone surrogate).</summary>
    static string? Text(string? input)
    {
        try { return (input ?? "").Trim().Normalize(NormalizationForm.FormC); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>A short label (an API key's name): trimmed, 1 to <paramref name="max"/> characters of valid text without control characters.</summary>
    public static string? Label(string? input, int max, out string? error)
    {
        var s = Text(input);
        error = s is null || s.Any(char.IsControl) ? "Use printable characters only."
            : s.Length == 0 ? "Enter a name."
            : s.Length > max ? $"A name has at most {max} characters."
            : null;
        return error is null ? s : null;
    }

    static string? Email(string s)
    {
        if (s.Length == 0) return "Enter an email address.";
        if (s.Length > MaxEmailLength) return $"An email address has at most {MaxEmailLength} characters.";
        const string invalid = "This is not a valid email address.";
        if (s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return invalid;
        var at = s.IndexOf('@');
        if (at <= 0 || at != s.LastIndexOf('@') || at == s.Length - 1) return invalid;
        var local = s[..at];
        var domain = s[(at + 1)..];
        // MailAddress also accepts display names, comments and quoted local parts; an account address is the plain form.
        if (local.Length > 64 || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..") ||
            local.Any(c => "\"(),:;<>[\\]".Contains(c))) return invalid;
        var labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-') ||
                                                 !l.All(c => char.IsLetterOrDigit(c) || c == '-'))) return invalid;
        if (labels[^1].All(char.IsAsciiDigit)) return invalid;
        if (!MailAddress.TryCreate(s, out var parsed) || parsed.Address != s || parsed.DisplayName.Length > 0) return invalid;
        return null;
    }

    /// <summary>A first or last name: trimmed, at most 100 characters, no control characters.</summary>
    public static string? Name(string? input, bool required, out string? error)
    {
        var s = Text(input);
        error = s is null ? "A name must be valid text."
            : s.Length == 0 && required ? "Enter a name."
            : s.Length > MaxNameLength ? $"A name has at most {MaxNameLength} characters."
            : s.Any(char.IsControl) ? "A name can't contain control characters."
            : null;
        return error is null ? s : null;
    }

    /// <summary>An IANA time zone id this machine knows (Windows ids are turned into IANA ids).</summary>
    public static string? TimeZone(string? input, out string? error)
    {
        var s = (input ?? "").Trim();
        error = "Use an IANA time zone such as 'Europe/London' or 'America/New_York'.";
        // FindSystemTimeZoneById reads files under /usr/share/zoneinfo: only plain ids reach it.
        if (s.Length is 0 or > 64 || s.StartsWith('/') || s.Contains("..") ||
            !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+')) return null;
        TimeZoneInfo zone;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(s); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return null; }
        var id = zone.HasIanaId ? zone.Id
            : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana
            : null;
        if (id is null) return null;
        error = null;
        return id;
    }

    /// <summary>A two-letter region (ISO 3166-1 alpha-2), upper-case.</summary>
    public static string? Region(string? input, out string? error)
    {
        var s = (input ?? "").Trim();
        if (s.Length == 2 && s.All(char.IsAsciiLetter))
        {
            error = null;
            return s.ToUpperInvariant();
        }
        error = "Use a two-letter region code such as 'US' or 'GB'.";
        return null;
    }
}
