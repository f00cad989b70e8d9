using Npgsql;
using Watchlog.Data;

namespace Watchlog;

/// <summary>A setting that cannot work. The process stops at start with its one-line message.</summary>
public sealed class SettingsException(string message) : Exception(message);

/// <summary>
/// The bootstrap settings every part of Watchlog needs, read once from configuration (appsettings.json, then
/// the environment as <c>Watchlog__Database__Provider</c>, then the command line) and checked at start.
/// Feature settings live in their own options classes under <c>Watchlog:&lt;Feature&gt;</c>.
/// </summary>
public sealed record WatchlogSettings(
    string DataDir,
    Dialect Provider,
    string ConnectionString,
    bool StarterCatalog,
    string BasePath,
    bool JobsEnabled,
    IReadOnlyList<System.Net.IPNetwork> KnownProxies,
    SqliteLibrary SqliteLibrary = SqliteLibrary.Auto)
{
    public static WatchlogSettings From(IConfiguration config)
    {
        var section = config.GetSection("Watchlog");
        var dataDir = Path.GetFullPath(NonEmpty(section["DataDir"]) ?? "data");

        var providerText = NonEmpty(section["Database:Provider"]) ?? "sqlite";
        var provider = providerText.ToLowerInvariant() switch
        {
            "sqlite" => Dialect.Sqlite,
            "postgres" or "postgresql" => Dialect.Postgres,
            _ => throw new SettingsException($"Watchlog:Database:Provider must be 'sqlite' or 'postgres', not '{providerText}'."),
        };

        var cs = NonEmpty(section["Database:ConnectionString"]);
        if (provider == Dialect.Postgres)
        {
            if (cs is null)
                throw new SettingsException("Watchlog:Database:ConnectionString is required when Watchlog:Database:Provider is 'postgres' (e.g. 'Host=127.0.0.1;Database=watchlog;Username=watchlog;Password=…').");
            try { _ = new NpgsqlConnectionStringBuilder(cs); }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new SettingsException($"Watchlog:Database:ConnectionString is not a valid PostgreSQL connection string: {e.Message}");
            }
        }
        else
        {
            cs ??= $"Data Source={Path.Combine(dataDir, "watchlog.db")}";
            try { _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs); }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new SettingsException($"Watchlog:Database:ConnectionString is not a valid SQLite connection string: {e.Message}");
            }
        }

        var libraryText = NonEmpty(section["Database:SqliteLibrary"]) ?? "auto";
        var library = libraryText.ToLowerInvariant() switch
        {
            "auto" => SqliteLibrary.Auto,
            "system" => SqliteLibrary.System,
            "bundled" => SqliteLibrary.Bundled,
            _ => throw new SettingsException($"Watchlog:Database:SqliteLibrary must be 'auto', 'system' or 'bundled', not '{libraryText}'."),
        };

        var basePath = NonEmpty(section["BasePath"]) ?? "";
        if (basePath.Length > 0)
        {
            if (!basePath.StartsWith('/') || basePath.Contains("//") || basePath.Any(char.IsWhiteSpace) || basePath.Contains('?') || basePath.Contains('#'))
                throw new SettingsException($"Watchlog:BasePath must be a path that starts with '/', like '/watchlog', not '{basePath}'.");
            basePath = basePath.TrimEnd('/');
        }

        return new WatchlogSettings(dataDir, provider, cs, Bool(section, "StarterCatalog", true), basePath, Bool(section, "Jobs:Enabled", true),
            Networks(NonEmpty(section["KnownProxies"])), library);
    }

    /// <summary>
    /// The proxies whose X-Forwarded-* headers are believed: loopback always, plus <c>Watchlog:KnownProxies</c>
    /// (addresses or CIDR networks separated by ';' or ','). Believing anyone would let a client pick its own IP,
    /// and with it escape the sign-in limits.
    /// </summary>
    static IReadOnlyList<System.Net.IPNetwork> Networks(string? text)
    {
        var networks = new List<System.Net.IPNetwork> { System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("::1/128") };
        foreach (var part in (text ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(part, out var network)) networks.Add(network);
            else if (System.Net.IPAddress.TryParse(part, out var address))
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else throw new SettingsException($"Watchlog:KnownProxies must list IP addresses or networks like 10.0.0.0/8, not '{part}'.");
        }
        return networks;
    }

    static bool Bool(IConfigurationSection section, string key, bool fallback)
    {
        var text = NonEmpty(section[key]);
        if (text is null) return fallback;
        return bool.TryParse(text, out var value)
            ? value
            : throw new SettingsException($"Watchlog:{key} must be true or false, not '{text}'.");
    }

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public static class SettingsHosting
{
    public const string DefaultUrls = "http://localhost:5080";

    /// <summary><c>Watchlog:Urls</c> wins; then ASP.NET's own <c>--urls</c> / <c>ASPNETCORE_URLS</c>; then <see cref="DefaultUrls"/>.</summary>
    public static void ApplyUrls(this WatchlogSettings settings, WebApplicationBuilder builder)
    {
        var urls = builder.Configuration["Watchlog:Urls"] ?? builder.Configuration["urls"] ?? DefaultUrls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new SettingsException($"Watchlog:Urls must be http(s) URLs separated by ';', not '{url}'.");
        builder.WebHost.UseUrls(urls);
    }

    public static void PrintListening(this WatchlogSettings settings, WebApplication app)
    {
        var where = settings.Provider == Dialect.Sqlite
            ? $"SQLite at {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings.ConnectionString).DataSource}, {SqliteNative.Loaded}"
            : "PostgreSQL";
        foreach (var url in app.Urls) Console.WriteLine($"Watchlog is running at {url}{settings.BasePath}/ ({where})");
    }
}
