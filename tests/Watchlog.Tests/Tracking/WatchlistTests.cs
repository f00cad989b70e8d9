using System.Net;
using System.Text.Json;
using Dapper;

namespace Watchlog.Tests.Tracking;

public class WatchlistTests
{
    static long[] Titles(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetProperty("id").GetInt64()).ToArray();

    static string[] Platforms(JsonElement entry) =>
        entry.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("slug").GetString()!).ToArray();

    [EachDatabase]
    public async Task Adding_answers_201_the_first_time_and_200_with_the_same_entry_after(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        var clock = TrackingData.Clock();
        await using var app = new WatchlogApp(test, clock: clock);
        var ann = await app.SignUpAsync();

        var first = await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Heat, platform_preference = "Netflix" });
        var entry = await WatchlogApp.ExpectAsync(first, HttpStatusCode.Created);
        TrackingData.AssertPrivate(first);
        clock.Advance(TimeSpan.FromHours(1));
        var again = await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Heat, platform_preference = "hulu" }), HttpStatusCode.OK);

        Assert.Equal(entry.ToString(), again.ToString());
        Assert.Equal(("Heat", "movie", 170), (entry.GetProperty("title").GetProperty("title").GetString(),
            entry.GetProperty("title").GetProperty("kind").GetString(), entry.GetProperty("title").GetProperty("runtime_min").GetInt32()));
        Assert.Equal("netflix", entry.GetProperty("platform_preference").GetProperty("slug").GetString());
        Assert.Equal(TrackingData.Now.UtcDateTime, entry.GetProperty("added_at").GetDateTime().ToUniversalTime());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("watched_at").ValueKind);
        Assert.Single(Titles(await ann.GetOkAsync("/api/watchlist")));

        await WatchlogApp.ExpectProblemAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = 999_999 }), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { platform_preference = "netflix" }), "title_id");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = "x" }), "title_id");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Alien, platform_preference = "Blockbuster" }), "platform_preference");
        Assert.Single(Titles(await ann.GetOkAsync("/api/watchlist")));
    }

    [EachDatabase]
    public async Task Entries_show_the_platforms_of_the_users_region_and_warn_when_one_is_leaving_within_7_days(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        foreach (var id in new[] { lib.Heat, lib.Alien })
            await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = id }), HttpStatusCode.Created);

        var us = await ann.GetOkAsync("/api/watchlist");
        var heat = us.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("title").GetProperty("id").GetInt64() == lib.Heat);
        var alien = us.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("title").GetProperty("id").GetInt64() == lib.Alien);
        Assert.Equal(["netflix"], Platforms(heat)); // not Prime Video (GB), not Hulu (expired on 11-01)
        Assert.Equal("2026-11-24", heat.GetProperty("platforms")[0].GetProperty("expires_on").GetString());
        Assert.False(heat.GetProperty("platforms")[0].GetProperty("subscribed").GetBoolean());
        var warning = heat.GetProperty("warning");
        Assert.Equal(("netflix", "2026-11-24", 3), (warning.GetProperty("platform").GetString(), warning.GetProperty("expires_on").GetString(), warning.GetProperty("days_left").GetInt32()));
        Assert.Contains("Netflix", warning.GetProperty("message").GetString());
        Assert.Equal(["disney-plus"], Platforms(alien));
        Assert.Equal(JsonValueKind.Null, alien.GetProperty("warning").ValueKind); // 12-31 is further than 7 days away

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "GB", platforms = new[] { "Prime Video" } }), HttpStatusCode.OK);
        var gb = await ann.GetOkAsync("/api/watchlist");
        heat = gb.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("title").GetProperty("id").GetInt64() == lib.Heat);
        Assert.Equal(["prime-video"], Platforms(heat));
        Assert.True(heat.GetProperty("platforms")[0].GetProperty("subscribed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, heat.GetProperty("warning").ValueKind);
        Assert.Empty(Platforms(gb.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("title").GetProperty("id").GetInt64() == lib.Alien)));
    }

    [EachDatabase]
    public async Task The_watchlist_sorts_by_added_runtime_or_expiry_and_pages(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        var clock = TrackingData.Clock();
        await using var app = new WatchlogApp(test, clock: clock);
        var ann = await app.SignUpAsync();
        foreach (var id in new[] { lib.Heat, lib.Up, lib.Alien, lib.Severance })
        {
            await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = id }), HttpStatusCode.Created);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([lib.Severance, lib.Alien, lib.Up, lib.Heat], Titles(await ann.GetOkAsync("/api/watchlist")));
        Assert.Equal([lib.Severance, lib.Alien, lib.Up, lib.Heat], Titles(await ann.GetOkAsync("/api/watchlist?sort=added")));
        Assert.Equal([lib.Alien, lib.Heat, lib.Severance, lib.Up], Titles(await ann.GetOkAsync("/api/watchlist?sort=runtime"))); // unknown runtimes last, newest first
        Assert.Equal([lib.Heat, lib.Alien, lib.Severance, lib.Up], Titles(await ann.GetOkAsync("/api/watchlist?sort=expiring")));

        var page1 = await ann.GetOkAsync("/api/watchlist?sort=runtime&limit=3");
        Assert.Equal([lib.Alien, lib.Heat, lib.Severance], Titles(page1));
        var page2 = await ann.GetOkAsync("/api/watchlist?sort=runtime&limit=3&cursor=" + page1.GetProperty("next_cursor").GetString());
        Assert.Equal([lib.Up], Titles(page2));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("next_cursor").ValueKind);

        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/watchlist?sort=popularity"), "sort");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/watchlist?cursor=-1"), "cursor");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/watchlist?limit=0"), "limit");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/watchlist?limit=201"), "limit");
    }

    [EachDatabase]
    public async Task Marking_a_movie_watched_checks_it_in_once_and_marks_the_entry(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        foreach (var (id, platform) in new[] { (lib.Heat, "Netflix"), (lib.Alien, (string?)null), (lib.Severance, null) })
            await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = id, platform_preference = platform }), HttpStatusCode.Created);

        var response = await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Heat}/watched");
        var marked = await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);
        TrackingData.AssertPrivate(response);
        Assert.Equal(TrackingData.Now.UtcDateTime, marked.GetProperty("entry").GetProperty("watched_at").GetDateTime().ToUniversalTime());
        var checkin = marked.GetProperty("checkin");
        Assert.Equal("netflix", checkin.GetProperty("platform").GetProperty("slug").GetString()); // the entry's platform preference
        var history = await ann.GetOkAsync("/api/history");
        Assert.Equal(checkin.GetProperty("id").GetInt64(), Assert.Single(history.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());

        var again = await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Heat}/watched"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, again.GetProperty("checkin").ValueKind);
        Assert.Equal(1, await CheckInTests.CheckInCountAsync(test, ann.UserId));

        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Alien}/watched", new { rating = 11 }), "rating");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Alien}/watched", new { watched_at = "2030-01-01T00:00:00Z" }), "watched_at");
        var alien = await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Alien}/watched",
            new { rating = 8, platform = "Disney+", watched_at = "2026-11-20T20:00:00Z", note = "Still terrifying." }), HttpStatusCode.OK);
        Assert.Equal(("disney-plus", 8, "Still terrifying."), (alien.GetProperty("checkin").GetProperty("platform").GetProperty("slug").GetString(),
            alien.GetProperty("checkin").GetProperty("rating").GetInt32(), alien.GetProperty("checkin").GetProperty("note").GetString()));
        Assert.Equal(new DateTime(2026, 11, 20, 20, 0, 0, DateTimeKind.Utc), alien.GetProperty("entry").GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(8, (await ann.GetOkAsync($"/api/titles/{lib.Alien}/rating")).GetProperty("rating").GetInt32());

        await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Severance}/watched"), "title_id");
        await WatchlogApp.ExpectProblemAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Up}/watched"), HttpStatusCode.NotFound);
        Assert.Equal(2, await CheckInTests.CheckInCountAsync(test, ann.UserId));
        var list = await ann.GetOkAsync("/api/watchlist");
        Assert.Equal(JsonValueKind.Null, list.GetProperty("items").EnumerateArray()
            .Single(e => e.GetProperty("title").GetProperty("id").GetInt64() == lib.Severance).GetProperty("watched_at").ValueKind);
    }

    [EachDatabase]
    public async Task Another_users_watchlist_entries_can_be_neither_seen_nor_changed_nor_removed(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Heat }), HttpStatusCode.Created);

        Assert.Empty(Titles(await bob.GetOkAsync("/api/watchlist")));
        await WatchlogApp.ExpectProblemAsync(await bob.SendAsync(HttpMethod.Delete, $"/api/watchlist/{lib.Heat}"), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await bob.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Heat}/watched"), HttpStatusCode.NotFound);
        Assert.Equal(0, await CheckInTests.CheckInCountAsync(test, bob.UserId));

        var mine = await ann.GetOkAsync("/api/watchlist");
        Assert.Equal([lib.Heat], Titles(mine));
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("items")[0].GetProperty("watched_at").ValueKind);
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/watchlist/{lib.Heat}"), HttpStatusCode.NoContent);
        await WatchlogApp.ExpectProblemAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/watchlist/{lib.Heat}"), HttpStatusCode.NotFound);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM watchlist"));
    }
}
