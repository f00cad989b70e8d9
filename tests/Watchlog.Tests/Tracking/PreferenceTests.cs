using System.Net;
using System.Text.Json;
using Dapper;

namespace Watchlog.Tests.Tracking;

public class PreferenceTests
{
    [EachDatabase]
    public async Task Subscribed_platforms_are_given_by_slug_or_name_and_set_the_region(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var initial = await ann.GetOkAsync("/api/me/platforms");
        Assert.Equal("US", initial.GetProperty("region").GetString());
        Assert.Empty(initial.GetProperty("platforms").EnumerateArray());

        var response = await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "gb", platforms = new[] { "Netflix", "disney-plus", "BBC iPlayer", "netflix", "HBO Max" } });
        var set = await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);
        TrackingData.AssertPrivate(response);

        Assert.Equal("GB", set.GetProperty("region").GetString());
        Assert.Equal(["bbc-iplayer", "disney-plus", "max", "netflix"], set.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("slug").GetString()).Order());
        Assert.Equal(set.ToString(), (await ann.GetOkAsync("/api/me/platforms")).ToString());
        Assert.Equal("GB", (await ann.GetOkAsync("/auth/me")).GetProperty("region").GetString());

        var emptied = await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "US", platforms = Array.Empty<string>() }), HttpStatusCode.OK);
        Assert.Empty(emptied.GetProperty("platforms").EnumerateArray());
    }

    [EachDatabase]
    public async Task Unknown_platforms_and_bad_regions_are_400_naming_the_entry(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "DE", platforms = new[] { "joyn" } }), HttpStatusCode.OK);

        var bad = await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "GBR", platforms = new object[] { "Netflix", "Blockbuster", 3 } });
        var errors = (await WatchlogApp.ExpectProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["platforms[1]", "platforms[2]", "region"], errors.EnumerateObject().Select(e => e.Name).Order());
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "US" }), "platforms");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "US", platforms = "netflix" }), "platforms");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { platforms = new[] { "netflix" } }), "region");

        var unchanged = await ann.GetOkAsync("/api/me/platforms");
        Assert.Equal("DE", unchanged.GetProperty("region").GetString());
        Assert.Equal("joyn", Assert.Single(unchanged.GetProperty("platforms").EnumerateArray()).GetProperty("slug").GetString());
    }

    [EachDatabase]
    public async Task Preferences_change_field_by_field_and_null_clears_a_setting(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await TrackingData.SeedAsync(test); // genres: Crime, Drama, Horror, Science Fiction
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var initial = await ann.GetOkAsync("/api/me/preferences");
        Assert.Empty(initial.GetProperty("moods").EnumerateArray());
        Assert.Empty(initial.GetProperty("avoid_genres").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, initial.GetProperty("notifications").GetProperty("email").ValueKind);

        var response = await ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new
        {
            moods = new[] { "Cozy", "mind-bending", "cozy " },
            avoid_genres = new[] { "Horror", "science-fiction" },
            notifications = new { email = "Ann.Digest@Example.com", telegram_chat_id = -100123456, digest_day = "Friday", digest_hour = 18 },
        });
        var set = await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);
        TrackingData.AssertPrivate(response);
        Assert.Equal(["cozy", "mind-bending"], set.GetProperty("moods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["horror", "science-fiction"], set.GetProperty("avoid_genres").EnumerateArray().Select(m => m.GetString()));
        var n = set.GetProperty("notifications");
        Assert.Equal(("ann.digest@example.com", "-100123456", "friday", 18), (n.GetProperty("email").GetString(),
            n.GetProperty("telegram_chat_id").GetString(), n.GetProperty("digest_day").GetString(), n.GetProperty("digest_hour").GetInt32()));

        var hour = await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new { notifications = new { digest_hour = 7 } }), HttpStatusCode.OK);
        Assert.Equal(7, hour.GetProperty("notifications").GetProperty("digest_hour").GetInt32());
        Assert.Equal("friday", hour.GetProperty("notifications").GetProperty("digest_day").GetString());
        Assert.Equal(2, hour.GetProperty("moods").GetArrayLength());
        Assert.Equal(2, hour.GetProperty("avoid_genres").GetArrayLength());

        var cleared = await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Patch, "/api/me/preferences",
            new { avoid_genres = Array.Empty<string>(), notifications = new { email = (string?)null, telegram_chat_id = "@watchlog_bot" } }), HttpStatusCode.OK);
        Assert.Empty(cleared.GetProperty("avoid_genres").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("notifications").GetProperty("email").ValueKind);
        Assert.Equal("@watchlog_bot", cleared.GetProperty("notifications").GetProperty("telegram_chat_id").GetString());
        Assert.Equal(["cozy", "mind-bending"], cleared.GetProperty("moods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(cleared.ToString(), (await ann.GetOkAsync("/api/me/preferences")).ToString());
    }

    [EachDatabase]
    public async Task Invalid_preferences_are_400_naming_each_field_and_change_nothing(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        Task<HttpResponseMessage> Patch(object body) => ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", body);
        await WatchlogApp.ExpectAsync(await Patch(new { moods = new[] { "tense" } }), HttpStatusCode.OK);

        var bad = await Patch(new
        {
            moods = new[] { "ok", "", new string('m', 41) },
            avoid_genres = new[] { "Drama", "Westerns" },
            notifications = new { email = "not an address", telegram_chat_id = "chat me", digest_day = "funday", digest_hour = 24 },
        });
        var errors = (await WatchlogApp.ExpectProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["avoid_genres[1]", "moods[1]", "moods[2]", "notifications.digest_day", "notifications.digest_hour",
                "notifications.email", "notifications.telegram_chat_id"],
            errors.EnumerateObject().Select(e => e.Name).Order());
        await WatchlogApp.ExpectFieldErrorAsync(await Patch(new { moods = "cozy" }), "moods");
        await WatchlogApp.ExpectFieldErrorAsync(await Patch(new { notifications = 5 }), "notifications");
        await WatchlogApp.ExpectFieldErrorAsync(await Patch(new { notifications = new { digest_hour = "noon" } }), "notifications.digest_hour");
        await WatchlogApp.ExpectFieldErrorAsync(await Patch(new { notifications = new { digest_day = 5 } }), "notifications.digest_day");
        await WatchlogApp.ExpectFieldErrorAsync(await Patch(new { moods = Enumerable.Repeat("x", 21).ToArray() }), "moods");

        var stored = await ann.GetOkAsync("/api/me/preferences");
        Assert.Equal(["tense"], stored.GetProperty("moods").EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(stored.GetProperty("avoid_genres").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("notifications").GetProperty("digest_day").ValueKind);
    }

    [EachDatabase]
    public async Task Deleting_the_account_removes_the_whole_viewing_log_and_only_that_users(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        foreach (var user in new[] { ann, bob })
        {
            await WatchlogApp.ExpectAsync(await user.PostCheckInAsync(new { title_id = lib.Severance, season = 1, rating = 7 }, key: "first"), HttpStatusCode.Created);
            await WatchlogApp.ExpectAsync(await user.SendAsync(HttpMethod.Put, $"/api/titles/{lib.Heat}/rating", new { rating = 9 }), HttpStatusCode.OK);
            await WatchlogApp.ExpectAsync(await user.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Alien, platform_preference = "disney+" }), HttpStatusCode.Created);
            await WatchlogApp.ExpectAsync(await user.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "US", platforms = new[] { "netflix", "hulu" } }), HttpStatusCode.OK);
            await WatchlogApp.ExpectAsync(await user.SendAsync(HttpMethod.Patch, "/api/me/preferences",
                new { moods = new[] { "cozy" }, avoid_genres = new[] { "horror" }, notifications = new { digest_day = "monday" } }), HttpStatusCode.OK);
        }
        var tables = new[] { "checkins", "user_series", "ratings", "watchlist", "user_platforms", "user_preferences", "user_avoid_genres", "idempotency_keys" };
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        async Task<long> Rows(string table, long userId) => await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE user_id = @userId", new { userId });
        foreach (var table in tables) Assert.True(await Rows(table, ann.UserId) > 0, $"{table} has no rows for ann before the deletion");

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, "/api/me", new { password = ann.Password }), HttpStatusCode.NoContent);

        foreach (var table in tables)
        {
            Assert.Equal(0L, await Rows(table, ann.UserId));
            Assert.True(await Rows(table, bob.UserId) > 0, $"{table} lost bob's rows");
        }
        Assert.Equal(3, (await bob.GetOkAsync("/api/history")).GetProperty("items").GetArrayLength());
    }

    [EachDatabase]
    public async Task Concurrent_changes_neither_fail_nor_lose_each_other(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var puts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => ann.SendAsync(HttpMethod.Put, "/api/me/platforms",
            new { region = "US", platforms = i % 2 == 0 ? new[] { "netflix", "hulu" } : new[] { "hulu", "max", "netflix" } })));
        var patches = await Task.WhenAll(
            ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new { notifications = new { digest_day = "sunday" } }),
            ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new { notifications = new { digest_hour = 9 } }),
            ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new { moods = new[] { "funny" } }),
            ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new { avoid_genres = new[] { "crime" } }));

        Assert.All(puts.Concat(patches), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var platforms = (await ann.GetOkAsync("/api/me/platforms")).GetProperty("platforms").GetArrayLength();
        Assert.Contains(platforms, new[] { 2, 3 });
        var preferences = await ann.GetOkAsync("/api/me/preferences");
        Assert.Equal(("sunday", 9), (preferences.GetProperty("notifications").GetProperty("digest_day").GetString(),
            preferences.GetProperty("notifications").GetProperty("digest_hour").GetInt32()));
        Assert.Equal(["funny"], preferences.GetProperty("moods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["crime"], preferences.GetProperty("avoid_genres").EnumerateArray().Select(m => m.GetString()));
    }
}
