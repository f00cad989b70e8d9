using System.Net;
using Dapper;

namespace Watchlog.Tests.Accounts;

public class MeTests
{
    static Task<HttpResponseMessage> PatchMeAsync(WatchlogApp app, SignedIn user, object body) =>
        app.SendJsonAsync(HttpMethod.Patch, "/auth/me", body, user.Client);

    [EachDatabase]
    public async Task Names_time_zone_and_region_can_be_changed(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");

        var response = await PatchMeAsync(app, ann, new { first_name = "Annie", last_name = "Lee", time_zone = "Europe/London", region = "gb" });
        var user = await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);

        Assert.Equal(("Annie", "Lee", "Europe/London", "GB"), (user.GetProperty("first_name").GetString(), user.GetProperty("last_name").GetString(),
            user.GetProperty("time_zone").GetString(), user.GetProperty("region").GetString()));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var me = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.OK);
        Assert.Equal("Europe/London", me.GetProperty("time_zone").GetString());
        Assert.Equal("ann@example.com", me.GetProperty("email").GetString()); // untouched fields stay

        var bad = await PatchMeAsync(app, ann, new { time_zone = "Mars/Olympus_Mons", region = "USA", first_name = "" });
        var errors = (await WatchlogApp.ExpectProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["first_name", "region", "time_zone"], errors.EnumerateObject().Select(e => e.Name).Order());
        await WatchlogApp.ExpectFieldErrorAsync(await PatchMeAsync(app, ann, new { time_zone = "../../../etc/passwd" }), "time_zone");
        Assert.Equal("Annie", (await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.OK)).GetProperty("first_name").GetString());
    }

    [EachDatabase]
    public async Task Changing_the_email_needs_the_current_password(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        await app.RegisterAsync("bob@example.com");

        await WatchlogApp.ExpectFieldErrorAsync(await PatchMeAsync(app, ann, new { email = "ann@new.example" }), "current_password");
        await WatchlogApp.ExpectFieldErrorAsync(await PatchMeAsync(app, ann, new { email = "ann@new.example", current_password = "wrong password" }), "current_password");
        await WatchlogApp.ExpectFieldErrorAsync(await PatchMeAsync(app, ann, new { email = "ann@", current_password = ann.Password }), "email");
        await WatchlogApp.ExpectProblemAsync(await PatchMeAsync(app, ann, new { email = "BOB@example.com", current_password = ann.Password }), HttpStatusCode.Conflict);
        await WatchlogApp.ExpectAsync(await PatchMeAsync(app, ann, new { email = "ANN@example.com" }), HttpStatusCode.OK); // same address: no password needed

        var changed = await WatchlogApp.ExpectAsync(await PatchMeAsync(app, ann, new { email = "Ann@New.Example", current_password = ann.Password }), HttpStatusCode.OK);

        Assert.Equal("ann@new.example", changed.GetProperty("email").GetString());
        await app.LoginAsync("ann@new.example");
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password = ann.Password }), HttpStatusCode.Unauthorized);
    }

    [EachDatabase]
    public async Task Changing_the_password_signs_out_every_other_session(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var laptop = await app.SignInAsync("ann@example.com");
        const string next = "an entirely new passphrase";
        Task<HttpResponseMessage> Change(object body) => app.SendJsonAsync(HttpMethod.Post, "/auth/me/password", body, ann.Client);

        await WatchlogApp.ExpectFieldErrorAsync(await Change(new { current_password = "wrong password", new_password = next }), "current_password");
        await WatchlogApp.ExpectFieldErrorAsync(await Change(new { current_password = ann.Password, new_password = "password123" }), "new_password");
        await WatchlogApp.ExpectFieldErrorAsync(await Change(new { new_password = next }), "current_password");
        await WatchlogApp.ExpectAsync(await laptop.Client.GetAsync("/auth/me"), HttpStatusCode.OK);

        await WatchlogApp.ExpectAsync(await Change(new { current_password = ann.Password, new_password = next }), HttpStatusCode.NoContent);

        await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.OK);
        await WatchlogApp.ExpectProblemAsync(await laptop.Client.GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/auth/refresh", new { refresh_token = laptop.RefreshToken }), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password = ann.Password }), HttpStatusCode.Unauthorized);
        await app.LoginAsync("ann@example.com", next);
    }

    [EachDatabase]
    public async Task Wrong_password_confirmations_are_rate_limited_like_sign_ins(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, s => s["Watchlog:Accounts:LoginFailureLimit"] = "2");
        var ann = await app.SignUpAsync("ann@example.com");

        for (var i = 0; i < 2; i++)
            await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Delete, "/api/me", new { password = "guess " + i }, ann.Client), "password");
        var limited = await app.SendJsonAsync(HttpMethod.Delete, "/api/me", new { password = ann.Password }, ann.Client);

        await WatchlogApp.ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.OK);
    }

    [EachDatabase]
    public async Task Deleting_the_account_removes_every_row_that_belongs_to_it(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var bob = await app.SignUpAsync("bob@example.com");
        await app.SignInAsync("ann@example.com");
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name = "Plex" }, ann.Client), HttpStatusCode.Created);
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name = "Bob's" }, bob.Client), HttpStatusCode.Created);
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/admin/invitations", new { }, ann.Client), HttpStatusCode.Created);
        await app.SendJsonAsync(HttpMethod.Post, "/auth/login", new { email = "ann@example.com", password = "a wrong guess" });

        await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Delete, "/api/me", new { }, ann.Client), "password");
        await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Delete, "/api/me", new { password = "not it at all" }, ann.Client), "password");
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Delete, "/api/me", new { password = ann.Password }, ann.Client), HttpStatusCode.NoContent);

        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        foreach (var table in new[] { "sessions", "api_keys", "invitations" })
            Assert.Equal(0L, await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {(table == "invitations" ? "created_by" : "user_id")} = @id", new { id = ann.UserId }));
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE id = @id", new { id = ann.UserId }));
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM login_failures WHERE email = 'ann@example.com'"));
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys WHERE user_id = @id", new { id = bob.UserId }));
        await WatchlogApp.ExpectAsync(await bob.Client.GetAsync("/auth/me"), HttpStatusCode.OK);
    }
}
