using Dapper;
using System.Text.Json;

namespace Watchlog.Tests.Tracking;

public class ProgressTests
{
    static JsonElement For(JsonElement progress, long titleId) =>
        progress.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetProperty("id").GetInt64() == titleId);

    static (int Watched, int Aired, double Percent) Numbers(JsonElement item) =>
        (item.GetProperty("watched").GetInt32(), item.GetProperty("aired").GetInt32(), item.GetProperty("percent").GetDouble());

    static (int Season, int Number)? Next(JsonElement item) =>
        item.GetProperty("next_episode") is { ValueKind: JsonValueKind.Object } n ? (n.GetProperty("season").GetInt32(), n.GetProperty("number").GetInt32()) : null;

    [EachDatabase]
    public async Task Counts_distinct_aired_episodes_without_specials_and_finds_the_next_one(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.CheckInAsync(new { title_id = lib.Severance, season = 0, episode = 1, watched_at = "2026-11-01T20:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Severance, up_to = new { season = 1, episode = 2 }, watched_at = "2026-11-02T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 1), watched_at = "2026-11-03T20:00:00Z" }); // a rewatch counts once
        await ann.CheckInAsync(new { episode_id = lib.Ep(2, 1), watched_at = "2026-11-16T20:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-11-20T20:00:00Z" }); // movies have no progress

        var progress = await ann.GetOkAsync("/api/progress");
        var severance = Assert.Single(progress.GetProperty("items").EnumerateArray());

        // Watched S1E1, S1E2, S2E1 of the five aired by 11-21 (S2E3 airs 11-22, S2E4 11-28; the special is left out).
        Assert.Equal((3, 5, 60.0), Numbers(severance));
        Assert.Equal((2, 2), Next(severance));
        Assert.Equal(lib.Ep(2, 2), severance.GetProperty("next_episode").GetProperty("id").GetInt64());
        Assert.Equal("2026-11-21", severance.GetProperty("next_episode").GetProperty("air_date").GetString());
        Assert.Equal(("Severance", "series"), (severance.GetProperty("title").GetProperty("title").GetString(), severance.GetProperty("title").GetProperty("kind").GetString()));
        Assert.Equal(new DateTime(2026, 11, 16, 20, 0, 0, DateTimeKind.Utc), severance.GetProperty("last_watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("next_cursor").ValueKind);

        // Nothing aired after the last one watched (S2E2): the first unwatched episode is next.
        await ann.CheckInAsync(new { episode_id = lib.Ep(2, 2), watched_at = "2026-11-21T09:00:00Z" });
        severance = For(await ann.GetOkAsync("/api/progress"), lib.Severance);
        Assert.Equal((4, 5, 80.0), Numbers(severance));
        Assert.Equal((1, 3), Next(severance));

        // Caught up: no next episode.
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 3), watched_at = "2026-11-21T10:00:00Z" });
        severance = For(await ann.GetOkAsync("/api/progress"), lib.Severance);
        Assert.Equal((5, 5, 100.0), Numbers(severance));
        Assert.Null(Next(severance));

        // An episode watched before its air date counts as aired for this user (never more than 100 %).
        await ann.CheckInAsync(new { episode_id = lib.Ep(2, 4), watched_at = "2026-11-21T11:00:00Z" });
        Assert.Equal((6, 6, 100.0), Numbers(For(await ann.GetOkAsync("/api/progress"), lib.Severance)));
    }

    [EachDatabase]
    public async Task Series_are_ordered_by_their_latest_check_in_specials_included(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 1), watched_at = "2026-11-01T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Dark, 1, 2), watched_at = "2026-11-05T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Mixed, 1, 1), watched_at = "2026-11-03T20:00:00Z" });

        long[] Order(JsonElement p) => p.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetProperty("id").GetInt64()).ToArray();
        Assert.Equal([lib.Dark, lib.Mixed, lib.Severance], Order(await ann.GetOkAsync("/api/progress")));

        await ann.CheckInAsync(new { episode_id = lib.Ep(0, 1), watched_at = "2026-11-10T20:00:00Z" });
        var progress = await ann.GetOkAsync("/api/progress");
        Assert.Equal([lib.Severance, lib.Dark, lib.Mixed], Order(progress));
        Assert.Equal((1, 5, 20.0), Numbers(For(progress, lib.Severance))); // the special moved it up but isn't counted
    }

    [EachDatabase]
    public async Task Episodes_without_air_dates_count_as_aired_before_an_aired_one_or_when_the_series_has_no_dates(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Dark, 1, 2) });
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Mixed, 1, 1) });

        var progress = await ann.GetOkAsync("/api/progress");

        var dark = For(progress, lib.Dark);
        Assert.Equal((1, 3, 33.3), Numbers(dark));
        Assert.Equal((1, 3), Next(dark));
        var mixed = For(progress, lib.Mixed); // E2 (undated, before the aired E3) counts; E4 (undated, after it) doesn't
        Assert.Equal((1, 3, 33.3), Numbers(mixed));
        Assert.Equal((1, 2), Next(mixed));
    }

    [EachDatabase]
    public async Task Aired_means_by_today_in_the_users_time_zone(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        var clock = TrackingData.Clock(); // 2026-11-21 12:00 UTC
        await using var app = new WatchlogApp(test, clock: clock);
        var auckland = await app.SignUpAsync("kiri@example.com");
        var angeles = await app.SignUpAsync("lou@example.com");
        var london = await app.SignUpAsync("ada@example.com");
        await auckland.SetTimeZoneAsync("Pacific/Auckland");
        await angeles.SetTimeZoneAsync("America/Los_Angeles");
        await london.SetTimeZoneAsync("Europe/London");
        foreach (var user in new[] { auckland, angeles, london })
            await user.CheckInAsync(new { episode_id = lib.Ep(2, 1), watched_at = "2026-11-15T08:00:00Z" });
        async Task<int> Aired(SignedIn user) => For(await user.GetOkAsync("/api/progress"), lib.Severance).GetProperty("aired").GetInt32();

        // 12:00 UTC: already 11-22 in Auckland (S2E3 is out there), still 11-21 in Los Angeles and London.
        var aired = new[] { await Aired(auckland), await Aired(angeles), await Aired(london) };
        Assert.Equal(new[] { 6, 5, 5 }, aired);
        Assert.Equal((2, 2), Next(For(await auckland.GetOkAsync("/api/progress"), lib.Severance)));

        // 05:00 UTC: 11-21 in Auckland, but still 11-20 in Los Angeles, where S2E2 (11-21) hasn't aired yet.
        clock.Now = new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.Zero);
        aired = [await Aired(auckland), await Aired(angeles), await Aired(london)];
        Assert.Equal(new[] { 5, 4, 5 }, aired);
        Assert.Equal((1, 1), Next(For(await angeles.GetOkAsync("/api/progress"), lib.Severance)));
    }

    [EachDatabase]
    public async Task Deleting_check_ins_updates_progress_and_the_last_one_removes_the_series(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        long Id(JsonElement[] items) => items[0].GetProperty("id").GetInt64();
        var special = Id(await ann.CheckInAsync(new { episode_id = lib.Ep(0, 1), watched_at = "2026-10-01T20:00:00Z" }));

        var onlySpecial = For(await ann.GetOkAsync("/api/progress"), lib.Severance); // listed, nothing counted
        Assert.Equal((0, 5, 0.0), Numbers(onlySpecial));
        Assert.Equal((1, 1), Next(onlySpecial));

        var first = Id(await ann.CheckInAsync(new { episode_id = lib.Ep(1, 1), watched_at = "2026-11-01T20:00:00Z" }));
        var second = Id(await ann.CheckInAsync(new { episode_id = lib.Ep(1, 2), watched_at = "2026-11-02T20:00:00Z" }));
        var rewatch = Id(await ann.CheckInAsync(new { episode_id = lib.Ep(1, 2), watched_at = "2026-11-03T20:00:00Z" }));
        Assert.Equal((2, 5, 40.0), Numbers(For(await ann.GetOkAsync("/api/progress"), lib.Severance)));

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{rewatch}"), System.Net.HttpStatusCode.NoContent);
        var severance = For(await ann.GetOkAsync("/api/progress"), lib.Severance);
        Assert.Equal((2, 5, 40.0), Numbers(severance));
        Assert.Equal(new DateTime(2026, 11, 2, 20, 0, 0, DateTimeKind.Utc), severance.GetProperty("last_watched_at").GetDateTime().ToUniversalTime());

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{second}"), System.Net.HttpStatusCode.NoContent);
        severance = For(await ann.GetOkAsync("/api/progress"), lib.Severance);
        Assert.Equal((1, 5, 20.0), Numbers(severance));
        Assert.Equal((1, 2), Next(severance));

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{first}"), System.Net.HttpStatusCode.NoContent);
        Assert.Equal((0, 5, 0.0), Numbers(For(await ann.GetOkAsync("/api/progress"), lib.Severance)));
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{special}"), System.Net.HttpStatusCode.NoContent);
        Assert.Empty((await ann.GetOkAsync("/api/progress")).GetProperty("items").EnumerateArray());
    }

    [EachDatabase]
    public async Task Concurrent_check_ins_of_one_series_count_each_episode_once(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        // The same episodes from several clients at once (e.g. two devices syncing): each is watched once, however often.
        var bodies = new object[]
        {
            new { episode_id = lib.Ep(1, 1) }, new { episode_id = lib.Ep(1, 1) }, new { title_id = lib.Severance, season = 1 },
            new { episode_id = lib.Ep(1, 2) }, new { title_id = lib.Severance, season = 1, episode = 3 }, new { episode_id = lib.Ep(2, 1) },
        };
        var responses = await Task.WhenAll(bodies.Select(b => ann.PostCheckInAsync(b)));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode));
        Assert.Equal((4, 5, 80.0), Numbers(For(await ann.GetOkAsync("/api/progress"), lib.Severance)));
    }

    [EachDatabase]
    public async Task The_progress_rows_kept_with_each_check_in_match_a_rebuild_from_all_check_ins(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.CheckInAsync(new { title_id = lib.Severance, up_to = new { season = 2, episode = 1 }, watched_at = "2026-11-01T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(0, 1), watched_at = "2026-11-05T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 2), watched_at = "2026-11-03T20:00:00Z" }); // an older rewatch
        await ann.CheckInAsync(new { title_id = lib.Severance, season = 1, watched_at = "2026-11-04T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Dark, 1, 1), watched_at = "2026-11-02T20:00:00Z" });
        var last = (await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Mixed, 1, 4) }))[0].GetProperty("id").GetInt64();
        await ann.CheckInAsync(new { title_id = lib.Heat });
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{last}"), System.Net.HttpStatusCode.NoContent);
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Mixed, 1, 2), watched_at = "2026-11-06T20:00:00Z" });

        const string rows = "SELECT title_id, watched_episodes, last_watched_at, last_episode_id, last_episode_at FROM user_series WHERE user_id = @id ORDER BY title_id";
        var kept = await ReadAsync(test, rows, ann.UserId);
        await test.Db.WriteAsync((conn, tx) => Watchlog.Tracking.ProgressStore.RebuildForUserAsync(conn, tx, ann.UserId), CancellationToken.None);
        var rebuilt = await ReadAsync(test, rows, ann.UserId);

        Assert.Equal(3, rebuilt.Count);
        Assert.Equal(rebuilt, kept);
    }

    [EachDatabase]
    public async Task Kept_answers_follow_other_nodes_check_ins_and_deletions_catalog_changes_and_the_day(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        var clock = TrackingData.Clock();
        await using var a = new WatchlogApp(test, clock: clock);
        await using var b = new WatchlogApp(test, clock: clock);   // a second node on the same database
        var ann = await a.SignUpAsync();
        var annOnB = ann with { Client = b.ClientWithToken(ann.AccessToken) };
        var reader = ann;
        async Task<JsonElement> SeveranceAsync() => For(await reader.GetOkAsync("/api/progress"), lib.Severance);

        await ann.CheckInAsync(new { title_id = lib.Severance, up_to = new { season = 1, episode = 3 }, watched_at = "2026-11-01T20:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Dark, 1, 1), watched_at = "2026-11-02T20:00:00Z" });
        Assert.Equal((3, 5, 60.0), Numbers(await SeveranceAsync()));   // S1 and S2E1-2 have aired by 11-21
        var dark = For(await ann.GetOkAsync("/api/progress"), lib.Dark);

        // Written on the other node: node A's kept answer for Severance is replaced, Dark's is unchanged.
        var s2e1 = (await annOnB.CheckInAsync(new { episode_id = lib.Ep(2, 1), watched_at = "2026-11-20T20:00:00Z" }))[0].GetProperty("id").GetInt64();
        var progress = await ann.GetOkAsync("/api/progress");
        Assert.Equal((4, 5, 80.0), Numbers(For(progress, lib.Severance)));
        Assert.Equal((2, 2), Next(For(progress, lib.Severance)));
        Assert.Equal(lib.Severance, progress.GetProperty("items")[0].GetProperty("title").GetProperty("id").GetInt64());
        Assert.Equal(dark.GetRawText(), For(progress, lib.Dark).GetRawText());

        await WatchlogApp.ExpectAsync(await annOnB.SendAsync(HttpMethod.Delete, $"/api/checkins/{s2e1}"), System.Net.HttpStatusCode.NoContent);
        Assert.Equal((2, 1), Next(await SeveranceAsync()));

        // The catalog moves S2E3 from 11-22 to 11-20: it has aired now.
        var moved = await new Watchlog.Catalog.CatalogWriter(test.Db, TimeProvider.System).Begin("test")
            .WriteAsync(Make.Lines(TrackingData.Severance(s2e3: new DateOnly(2026, 11, 20))), CancellationToken.None);
        Assert.Equal(Watchlog.Catalog.RowOutcome.Updated, Assert.Single(moved).Outcome);
        Assert.Equal((3, 6, 50.0), Numbers(await SeveranceAsync()));

        // Another day: S2E4 (11-28) has aired a week later (signed in again: access tokens live 7 days).
        clock.Advance(TimeSpan.FromDays(7));
        reader = await a.SignInAsync(ann.Email);
        Assert.Equal((3, 7, 42.9), Numbers(await SeveranceAsync()));

        // The last check-in of Dark goes (on node B): the series leaves node A's progress.
        var darkCheckIn = (await reader.GetOkAsync($"/api/history?title_id={lib.Dark}")).GetProperty("items")[0].GetProperty("id").GetInt64();
        await WatchlogApp.ExpectAsync(await (reader with { Client = b.ClientWithToken(reader.AccessToken) }).SendAsync(HttpMethod.Delete, $"/api/checkins/{darkCheckIn}"),
            System.Net.HttpStatusCode.NoContent);
        Assert.DoesNotContain((await reader.GetOkAsync("/api/progress")).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("title").GetProperty("id").GetInt64() == lib.Dark);
    }

    static async Task<List<string>> ReadAsync(TestDb test, string sql, long id)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return (await conn.QueryAsync<(long, long, DateTime, long?, DateTime?)>(sql, new { id })).Select(r => r.ToString()).ToList();
    }
}
