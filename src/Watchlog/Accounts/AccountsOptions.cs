using System.Globalization;

namespace Watchlog.Accounts;

public enum RegistrationMode
{
    /// <summary>Anyone may sign up (the default).</summary>
    Open,
    /// <summary>Sign-up needs an invitation code that an admin created.</summary>
    Invite,
    /// <summary>Only operators create accounts (<c>watchlog user create</c>).</summary>
    Closed,
}

/// <summary>
/// Account settings: <c>Watchlog:Registration</c> and <c>Watchlog:Accounts:*</c>, read once and checked at start
/// (a wrong value stops the program with one line, like the settings in <see cref="WatchlogSettings"/>).
/// </summary>
public sealed record AccountsOptions(
    RegistrationMode Registration,
    TimeSpan AccessTokenLifetime,
    TimeSpan RefreshTokenLifetime,
    int LoginFailureLimit,
    TimeSpan LoginFailureWindow)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public static AccountsOptions From(IConfiguration config)
    {
        var section = config.GetSection("Watchlog");
        var modeText = NonEmpty(section["Registration"]) ?? "open";
        var mode = modeText.ToLowerInvariant() switch
        {
            "open" => RegistrationMode.Open,
            "invite" => RegistrationMode.Invite,
            "closed" => RegistrationMode.Closed,
            _ => throw new SettingsException($"Watchlog:Registration must be 'open', 'invite' or 'closed', not '{modeText}'."),
        };
        var accessDays = Int(section, "Accounts:AccessTokenDays", 7, 1, 365);
        var refreshDays = Int(section, "Accounts:RefreshTokenDays", 60, 1, 3650);
        if (refreshDays < accessDays)
            throw new SettingsException($"Watchlog:Accounts:RefreshTokenDays ({refreshDays}) must be at least Watchlog:Accounts:AccessTokenDays ({accessDays}).");
        var limit = Int(section, "Accounts:LoginFailureLimit", 5, 1, 1000);
        var window = Int(section, "Accounts:LoginFailureWindowSeconds", 60, 1, 86_400);
        return new AccountsOptions(mode, TimeSpan.FromDays(accessDays), TimeSpan.FromDays(refreshDays), limit, TimeSpan.FromSeconds(window));
    }

    static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = NonEmpty(section[key]);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new SettingsException($"Watchlog:{key} must be a whole number from {min} to {max}, not '{text}'.");
    }

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
