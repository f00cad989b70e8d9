using System.Net;

namespace Watchlog.Tests.Web;

public class OperationsTests
{
    [EachDatabase]
    public async Task Health_readiness_openapi_and_api_docs_answer(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var client = app.CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        Assert.Equal("ready", await client.GetStringAsync("/readyz"));
        var openapi = await app.GetJsonAsync("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/titles/{id}", out _));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/titles/{id}/seasons/{number}", out _));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/people/{id}", out _));
        Assert.Contains("swagger", await client.GetStringAsync("/docs/index.html"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("redoc", await client.GetStringAsync("/redoc/index.html"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Watchlog", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task Readiness_fails_while_migrations_are_pending()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var app = new WatchlogApp(test);
        var client = app.CreateClient();
        await using (var conn = await test.Db.OpenAsync(CancellationToken.None))
            await Dapper.SqlMapper.ExecuteAsync(conn, "DELETE FROM schema_version WHERE id = (SELECT max(id) FROM schema_version)");

        var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("migration", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Behind_a_reverse_proxy_the_base_path_and_forwarded_headers_apply()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var app = new WatchlogApp(test, s => s["Watchlog:BasePath"] = "/watchlog/");
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        // Signed out, the home page sends to sign-in under the base path; pages link relative to <base href>.
        var home = await client.GetAsync("/watchlog/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/watchlog/signin?return=%2F", home.Headers.Location!.OriginalString);
        var request = new HttpRequestMessage(HttpMethod.Get, "/watchlog/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "media.example.org");
        var signin = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signin.StatusCode);
        var html = await signin.Content.ReadAsStringAsync();
        Assert.Contains("<base href=\"https://media.example.org/watchlog/\" />", html);
        Assert.Contains("href=\"docs\"", html);
        Assert.Equal("ok", await client.GetStringAsync("/watchlog/healthz"));
    }

    [Fact]
    public async Task The_starter_catalog_loads_into_an_empty_database_only_when_enabled()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using (var off = new WatchlogApp(test))
        {
            off.CreateClient();
            Assert.Equal(0L, await new Watchlog.Catalog.TitleStore(test.Db).CountAsync(CancellationToken.None));
        }
        await using (var on = new WatchlogApp(test, s => s["Watchlog:StarterCatalog"] = "true"))
        {
            on.CreateClient();
            Assert.True(await new Watchlog.Catalog.TitleStore(test.Db).CountAsync(CancellationToken.None) >= 200);
        }
    }
}
