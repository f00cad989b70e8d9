using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.Browser;

/// <summary>
/// The whole app on a real socket (Kestrel on a random 127.0.0.1 port) over a fresh SQLite database with the starter
/// catalog, plus Debian's Chromium driven by Playwright's bundled driver (no browser download: the executable is given).
/// One per test class; each test opens its own browser context (its own cookies).
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string XssTitle = "<script>alert(1)</script>";

    sealed class Host(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.UseEnvironment("Testing");
        }
    }

    readonly string _dataDir = Directory.CreateTempSubdirectory("watchlog-browser-").FullName;
    Host _host = null!;

    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where failure screenshots go (kept by ./test.sh as test artifacts).</summary>
    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("WATCHLOG_CHROMIUM") ?? "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run ./test.sh (it installs Debian's chromium) or set WATCHLOG_CHROMIUM.");
        _host = new Host(new()
        {
            ["Watchlog:DataDir"] = _dataDir,
            ["Watchlog:Database:Provider"] = "sqlite",
            ["Watchlog:StarterCatalog"] = "true",
            ["Watchlog:Jobs:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _host.UseKestrel(0);
        _host.StartServer();
        BaseUrl = _host.ClientOptions.BaseAddress.ToString();

        // A title whose name is markup: every page must show it as text.
        var db = _host.Services.GetRequiredService<Db>();
        await new CatalogWriter(db, TimeProvider.System).Begin("browser-test")
            .WriteAsync([new SourcedEntry(1, new CatalogEntry { Id = "xss", Kind = "movie", Title = XssTitle, Year = 2024, RuntimeMin = 90 })], CancellationToken.None);
        await WaitForStarterCatalogAsync();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    async Task WaitForStarterCatalogAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        for (var i = 0; i < 100; i++)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>("api/search?q=breaking+bad");
            if (answer.GetProperty("total").GetInt32() > 0) return;
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The starter catalog did not load.");
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
