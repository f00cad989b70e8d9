using System.Globalization;

namespace Watchlog.Metadata;

/// <summary>
/// <c>Watchlog:Metadata:*</c>. A provider without credentials is off; with none on, lookups of missing titles answer 404
/// and search stays local. Read once at start; a bad value stops the process with a message naming the key.
/// </summary>
public sealed record MetadataOptions
{
    public ProviderOptions Tmdb { get; init; } = new("https://api.themoviedb.org/3", null, null, null, 40);
    public ProviderOptions Tvdb { get; init; } = new("https://api4.thetvdb.com/v4", null, null, null, 20);
    /// <summary>A queued sync waits a random 0..this many seconds, to spread bursts of lookups.</summary>
    public double SyncJitterSeconds { get; init; } = 5;
    public int StaleDays { get; init; } = 7;
    public int PeopleStaleDays { get; init; } = 14;
    public int SyncLogRetentionDays { get; init; } = 30;
    public int StaleBatchSize { get; init; } = 200;
    public int MaxAttempts { get; init; } = 4;          // the first run and up to 3 retries
    public double RetryBaseSeconds { get; init; } = 30;  // 30 s, 60 s, 120 s (+ jitter)
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RemoteSearchTimeout { get; init; } = TimeSpan.FromMilliseconds(800);
    /// <summary>Fewer local results than this (and a provider on) and search asks the provider too.</summary>
    public int RemoteSearchBelow { get; init; } = 3;
    public string StaleRefreshCron { get; init; } = "0 0 3 ? * SUN";
    public string PeopleRefreshCron { get; init; } = "0 30 3 ? * SUN";
    public string SyncLogCleanupCron { get; init; } = "0 0 4 1 * ?";
    /// <summary>How long a provider's "not found" is believed before a lookup asks again.</summary>
    public TimeSpan NotFoundFor { get; init; } = TimeSpan.FromHours(24);

    public bool AnyProvider => Tmdb.Enabled || Tvdb.Enabled;

    public static MetadataOptions From(IConfiguration config)
    {
        var s = config.GetSection("Watchlog:Metadata");
        var defaults = new MetadataOptions();
        ProviderOptions Provider(string name, ProviderOptions d)
        {
            var p = s.GetSection(name);
            var url = NonEmpty(p["BaseUrl"]) ?? d.BaseUrl;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new SettingsException($"Watchlog:Metadata:{name}:BaseUrl must be an http(s) URL, not '{url}'.");
            var rate = Number(p, "RequestsPerSecond", d.RequestsPerSecond, 0, 10_000);
            return new ProviderOptions(url.TrimEnd('/'), NonEmpty(p["ApiKey"]), NonEmpty(p["ReadAccessToken"]), NonEmpty(p["Pin"]), rate);
        }
        return new MetadataOptions
        {
            Tmdb = Provider("Tmdb", defaults.Tmdb),
            Tvdb = Provider("Tvdb", defaults.Tvdb),
            SyncJitterSeconds = Number(s, "SyncJitterSeconds", defaults.SyncJitterSeconds, 0, 3600),
            StaleDays = (int)Number(s, "StaleDays", defaults.StaleDays, 1, 3650),
            PeopleStaleDays = (int)Number(s, "PeopleStaleDays", defaults.PeopleStaleDays, 1, 3650),
            SyncLogRetentionDays = (int)Number(s, "SyncLogRetentionDays", defaults.SyncLogRetentionDays, 1, 3650),
            StaleBatchSize = (int)Number(s, "StaleBatchSize", defaults.StaleBatchSize, 1, 100_000),
            MaxAttempts = 1 + (int)Number(s, "MaxRetries", defaults.MaxAttempts - 1, 0, 3),
            RetryBaseSeconds = Number(s, "RetryBaseSeconds", defaults.RetryBaseSeconds, 0, 3600),
            RequestTimeout = TimeSpan.FromSeconds(Number(s, "RequestTimeoutSeconds", defaults.RequestTimeout.TotalSeconds, 0.05, 300)),
            RemoteSearchTimeout = TimeSpan.FromMilliseconds(Number(s, "RemoteSearchTimeoutMs", defaults.RemoteSearchTimeout.TotalMilliseconds, 10, 60_000)),
            RemoteSearchBelow = (int)Number(s, "RemoteSearchBelow", defaults.RemoteSearchBelow, 0, 100),
            StaleRefreshCron = Cron(s, "StaleRefreshCron", defaults.StaleRefreshCron),
            PeopleRefreshCron = Cron(s, "PeopleRefreshCron", defaults.PeopleRefreshCron),
            SyncLogCleanupCron = Cron(s, "SyncLogCleanupCron", defaults.SyncLogCleanupCron),
        };
    }

    static double Number(IConfigurationSection s, string key, double fallback, double min, double max)
    {
        var text = NonEmpty(s[key]);
        if (text is null) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        throw new SettingsException($"{s.Path}:{key} must be a number from {min} to {max}, not '{text}'.");
    }

    static string Cron(IConfigurationSection s, string key, string fallback)
    {
        var text = NonEmpty(s[key]) ?? fallback;
        if (!Quartz.CronExpression.TryParse(text, out _))
            throw new SettingsException($"Watchlog:Metadata:{key} must be a Quartz cron expression like '{fallback}', not '{text}'.");
        return text;
    }

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <param name="RequestsPerSecond">Client-side rate limit; 0 turns it off.</param>
public sealed record ProviderOptions(string BaseUrl, string? ApiKey, string? ReadAccessToken, string? Pin, double RequestsPerSecond)
{
    public bool Enabled => ApiKey is not null || ReadAccessToken is not null;
}
