using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Watchlog.Tests.Support;

/// <summary>The whole app on a test database, driven over HTTP.</summary>
public sealed class WatchlogApp : WebApplicationFactory<Program>
{
    readonly Dictionary<string, string?> _settings;

    public WatchlogApp(TestDb db, Action<Dictionary<string, string?>>? configure = null)
    {
        _settings = db.Settings();
        configure?.Invoke(_settings);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
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
