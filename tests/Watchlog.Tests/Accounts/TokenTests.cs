using System.Net;

namespace Watchlog.Tests.Accounts;

public class TokenTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    static Task<HttpResponseMessage> RefreshAsync(WatchlogApp app, string refreshToken) =>
        app.SendJsonAsync(HttpMethod.Post, "/auth/refresh", new { refresh_token = refreshToken });

    [EachDatabase]
    public async Task The_access_token_authenticates_and_anything_else_is_401(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");

        var me = await app.GetJsonAsync("/auth/me", HttpStatusCode.Unauthorized);
        Assert.Equal(401, me.GetProperty("status").GetInt32());

        var ok = await ann.Client.GetAsync("/auth/me");
        var user = await WatchlogApp.ExpectAsync(ok, HttpStatusCode.OK);
        Assert.Equal(ann.UserId, user.GetProperty("id").GetInt64());
        Assert.Contains("no-store", ok.Headers.CacheControl?.ToString());

        var forged = await app.ClientWithToken(ann.AccessToken[..^2] + "xx").GetAsync("/auth/me");
        await WatchlogApp.ExpectProblemAsync(forged, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", forged.Headers.WwwAuthenticate.ToString());
        await WatchlogApp.ExpectProblemAsync(await app.ClientWithToken(ann.RefreshToken).GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
    }

    [EachDatabase]
    public async Task Tokens_survive_a_restart(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        SignedIn ann;
        await using (var first = new WatchlogApp(test)) ann = await first.SignUpAsync("ann@example.com");

        await using var second = new WatchlogApp(test);

        await WatchlogApp.ExpectAsync(await second.ClientWithToken(ann.AccessToken).GetAsync("/auth/me"), HttpStatusCode.OK);
    }

    [EachDatabase]
    public async Task An_access_token_expires_after_seven_days_and_the_refresh_token_after_sixty(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var clock = new ManualClock(Start);
        await using var app = new WatchlogApp(test, clock: clock);
        var ann = await app.SignUpAsync("ann@example.com");

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.Unauthorized);

        var renewed = await WatchlogApp.ExpectAsync(await RefreshAsync(app, ann.RefreshToken), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await app.ClientWithToken(renewed.GetProperty("access_token").GetString()!).GetAsync("/auth/me"), HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromDays(60));
        await WatchlogApp.ExpectProblemAsync(await RefreshAsync(app, renewed.GetProperty("refresh_token").GetString()!), HttpStatusCode.Unauthorized);
    }

    [EachDatabase]
    public async Task The_access_token_lifetime_is_configurable(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var clock = new ManualClock(Start);
        await using var app = new WatchlogApp(test, s => s["Watchlog:Accounts:AccessTokenDays"] = "1", clock);
        await app.RegisterAsync("ann@example.com");

        var tokens = await app.LoginAsync("ann@example.com");
        Assert.Equal(86_400, tokens.GetProperty("expires_in").GetInt64());
        clock.Advance(TimeSpan.FromDays(1));
        await WatchlogApp.ExpectProblemAsync(await app.ClientWithToken(tokens.GetProperty("access_token").GetString()!).GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
    }

    [EachDatabase]
    public async Task Refreshing_rotates_the_pair_and_reusing_an_old_refresh_token_ends_the_session(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var elsewhere = await app.SignInAsync("ann@example.com"); // another device: a different session

        var second = await WatchlogApp.ExpectAsync(await RefreshAsync(app, ann.RefreshToken), HttpStatusCode.OK);
        var secondAccess = second.GetProperty("access_token").GetString()!;
        var secondRefresh = second.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(ann.AccessToken, secondAccess);
        Assert.NotEqual(ann.RefreshToken, secondRefresh);
        Assert.Equal("ann@example.com", second.GetProperty("user").GetProperty("email").GetString());
        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.Unauthorized); // the old pair is retired
        var third = await WatchlogApp.ExpectAsync(await RefreshAsync(app, secondRefresh), HttpStatusCode.OK);
        var thirdAccess = third.GetProperty("access_token").GetString()!;
        await WatchlogApp.ExpectAsync(await app.ClientWithToken(thirdAccess).GetAsync("/auth/me"), HttpStatusCode.OK);

        // Someone replays the first refresh token: the whole session (its newest pair too) is revoked.
        var replay = await WatchlogApp.ExpectProblemAsync(await RefreshAsync(app, ann.RefreshToken), HttpStatusCode.Unauthorized);
        Assert.Contains("already used", replay.GetProperty("detail").GetString());
        await WatchlogApp.ExpectProblemAsync(await app.ClientWithToken(thirdAccess).GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await RefreshAsync(app, third.GetProperty("refresh_token").GetString()!), HttpStatusCode.Unauthorized);

        await WatchlogApp.ExpectAsync(await elsewhere.Client.GetAsync("/auth/me"), HttpStatusCode.OK); // other sessions live on
        await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Post, "/auth/refresh", new { }), "refresh_token");
        await WatchlogApp.ExpectProblemAsync(await RefreshAsync(app, "not-a-token"), HttpStatusCode.Unauthorized);
    }

    [EachDatabase]
    public async Task Signing_out_revokes_the_session_at_once(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var phone = await app.SignInAsync("ann@example.com");

        await WatchlogApp.ExpectAsync(await ann.Client.PostAsync("/auth/logout", null), HttpStatusCode.NoContent);

        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await RefreshAsync(app, ann.RefreshToken), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectAsync(await phone.Client.GetAsync("/auth/me"), HttpStatusCode.OK);
        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().PostAsync("/auth/logout", null), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_account_endpoints_and_both_credentials()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var app = new WatchlogApp(test);

        var doc = await app.GetJsonAsync("/openapi/v1.json");

        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/auth/register", "/auth/login", "/auth/refresh", "/auth/logout", "/auth/me", "/auth/me/password", "/api/me", "/api/me/keys", "/api/me/keys/{id}", "/api/admin/invitations" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.True(paths.GetProperty("/auth/me").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/auth/login").GetProperty("post").TryGetProperty("security", out _));
        Assert.True(doc.GetProperty("components").GetProperty("schemas").GetProperty("RegisterRequest").GetProperty("properties").TryGetProperty("first_name", out _));
    }
}
