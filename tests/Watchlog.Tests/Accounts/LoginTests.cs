using System.Net;
using System.Text.Json;
using Dapper;

namespace Watchlog.Tests.Accounts;

public class LoginTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [EachDatabase]
    public async Task Signing_in_answers_a_bearer_token_pair_and_the_user(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        await app.RegisterAsync("ann@example.com");

        var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = " ANN@example.com", password = WatchlogApp.DefaultPassword });
        var tokens = await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);

        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal(7 * 86_400, tokens.GetProperty("expires_in").GetInt64());
        Assert.Equal(60 * 86_400, tokens.GetProperty("refresh_expires_in").GetInt64());
        Assert.Equal(43, tokens.GetProperty("access_token").GetString()!.Length); // 32 bytes, base64url
        Assert.NotEqual(tokens.GetProperty("access_token").GetString(), tokens.GetProperty("refresh_token").GetString());
        Assert.Equal("ann@example.com", tokens.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal("no-store, private", string.Join(", ", response.Headers.CacheControl!.ToString().Split(", ").Order()));
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        var stored = await conn.QuerySingleAsync<(string Access, string Refresh)>("SELECT access_hash, refresh_hash FROM sessions");
        Assert.Equal(64, stored.Access.Length); // SHA-256 hex, never the token
        Assert.NotEqual(tokens.GetProperty("access_token").GetString(), stored.Access);
    }

    [EachDatabase]
    public async Task Wrong_password_and_unknown_email_get_the_same_401(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        await app.RegisterAsync("ann@example.com");

        var wrongPassword = await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password = "not the password" });
        var unknownEmail = await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "nobody@example.com", password = "not the password" });

        var a = await WatchlogApp.ExpectProblemAsync(wrongPassword, HttpStatusCode.Unauthorized);
        var b = await WatchlogApp.ExpectProblemAsync(unknownEmail, HttpStatusCode.Unauthorized);
        Assert.Equal(WithoutTraceId(a), WithoutTraceId(b));
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(2L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM login_failures")); // both count
    }

    [EachDatabase]
    public async Task Missing_fields_are_400(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);

        var response = await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com" });

        await WatchlogApp.ExpectFieldErrorAsync(response, "password");
    }

    [EachDatabase]
    public async Task Repeated_failures_are_limited_per_email_and_address_with_retry_after(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var clock = new ManualClock(Start);
        await using var app = new WatchlogApp(test, clock: clock);
        await app.RegisterAsync("ann@example.com");
        Task<HttpResponseMessage> Login(string password, string ip) =>
            app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password }, ip: ip);

        for (var i = 0; i < 5; i++)
        {
            await WatchlogApp.ExpectProblemAsync(await Login("guess number " + i, "203.0.113.7"), HttpStatusCode.Unauthorized);
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        // Limited now, even with the right password; the rest of the window is the wait.
        var limited = await Login(WatchlogApp.DefaultPassword, "203.0.113.7");
        await WatchlogApp.ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(35), limited.Headers.RetryAfter?.Delta);

        // The owner, from another address, is not locked out.
        await WatchlogApp.ExpectAsync(await Login(WatchlogApp.DefaultPassword, "198.51.100.20"), HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromSeconds(36));
        await WatchlogApp.ExpectAsync(await Login(WatchlogApp.DefaultPassword, "203.0.113.7"), HttpStatusCode.OK);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM login_failures WHERE ip = '203.0.113.7'")); // success clears the pair
    }

    [EachDatabase]
    public async Task Unknown_emails_are_limited_too(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, s => s["Watchlog:Accounts:LoginFailureLimit"] = "2");

        for (var i = 0; i < 2; i++)
            await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ghost@example.com", password = "whatever-it-is" }), HttpStatusCode.Unauthorized);

        var limited = await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "Ghost@example.com", password = "whatever-it-is" });
        await WatchlogApp.ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [EachDatabase]
    public async Task A_client_that_is_not_a_trusted_proxy_cannot_dodge_the_limit_with_forwarded_addresses(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var direct = new WatchlogApp(test, s => s["Watchlog:Accounts:LoginFailureLimit"] = "2", peer: System.Net.IPAddress.Parse("203.0.113.50"));
        await direct.RegisterAsync("ann@example.com");
        Task<HttpResponseMessage> Login(WatchlogApp app, string ip) =>
            app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password = "not the password" }, ip: ip);

        await WatchlogApp.ExpectProblemAsync(await Login(direct, "198.51.100.1"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await Login(direct, "198.51.100.2"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await Login(direct, "198.51.100.3"), HttpStatusCode.TooManyRequests);

        // Behind a proxy on loopback, the forwarded address is the client's: another client is not limited.
        await using var proxied = new WatchlogApp(test, s => s["Watchlog:Accounts:LoginFailureLimit"] = "2", peer: System.Net.IPAddress.Loopback);
        await WatchlogApp.ExpectProblemAsync(await Login(proxied, "198.51.100.4"), HttpStatusCode.Unauthorized);
    }

    static string WithoutTraceId(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => !p.Name.Equals("traceId", StringComparison.OrdinalIgnoreCase) && p.Name != "trace_id")
            .ToDictionary(p => p.Name, p => p.Value));
}
