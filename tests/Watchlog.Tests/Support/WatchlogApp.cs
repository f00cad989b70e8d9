using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Watchlog.Tests.Support;

/// <summary>
/// The whole app on a test database, driven over HTTP. Pass a <see cref="ManualClock"/> to control time (token expiry,
/// rate-limit windows); account intents (sign up, sign in, an authenticated client) are in Support/Accounts.cs.
/// </summary>
public sealed partial class WatchlogApp : WebApplicationFactory<Program>
{
    readonly Dictionary<string, string?> _settings;
    readonly TimeProvider? _clock;
    readonly System.Net.IPAddress? _peer;

    /// <param name="peer">The address requests arrive from, as a real socket would give it (the test server has none).</param>
    public WatchlogApp(TestDb db, Action<Dictionary<string, string?>>? configure = null, TimeProvider? clock = null, System.Net.IPAddress? peer = null)
    {
        _settings = db.Settings();
        configure?.Invoke(_settings);
        _clock = clock;
        _peer = peer;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
        if (_clock is not null) builder.ConfigureTestServices(s => s.AddSingleton(_clock));
        if (_peer is { } peer) builder.ConfigureTestServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new PeerAddress(peer)));
    }

    sealed class PeerAddress(System.Net.IPAddress peer) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((http, inner) => { http.Connection.RemoteIpAddress = peer; return inner(http); });
            next(app);
        };
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async Task<JsonElement> GetJsonAsync(string url, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var response = await CreateClient().GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {url}: expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
