using System.Net;
using System.Text.Json;

namespace Watchlog.Tests.Tracking;

public class HistoryTests
{
    static long[] Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToArray();

    [EachDatabase]
    public async Task Pages_follow_each_other_newest_first_without_duplicates_or_gaps(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        // Ties on watched_at (a season checked in at once) are ordered by id, newest first.
        await ann.CheckInAsync(new { title_id = lib.Severance, season = 1, watched_at = "2026-11-10T20:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-11-12T20:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Alien, watched_at = "2026-11-10T20:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Severance, season = 2, watched_at = "2026-11-15T08:00:00.123456Z" });
        await ann.CheckInAsync(new { title_id = lib.Up });
        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2025-01-01T00:00:00Z" });

        var all = await ann.GetOkAsync("/api/history?limit=100");
        var expected = all.GetProperty("items").EnumerateArray()
            .Select(i => (At: i.GetProperty("watched_at").GetDateTime().ToUniversalTime(), Id: i.GetProperty("id").GetInt64())).ToList();
        Assert.Equal(9, expected.Count);
        Assert.Equal(expected.OrderByDescending(e => e.At).ThenByDescending(e => e.Id), expected);
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next_cursor").ValueKind);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ann.GetOkAsync("/api/history?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 2);
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        } while (cursor is not null);

        Assert.Equal(5, pages);
        Assert.Equal(expected.Select(e => e.Id), seen);
        var first = (await ann.GetOkAsync("/api/history")).GetProperty("items")[0];
        Assert.Equal("Up", first.GetProperty("title").GetProperty("title").GetString());
    }

    [EachDatabase]
    public async Task Filters_by_type_title_platform_and_local_days(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.SetTimeZoneAsync("Pacific/Auckland"); // UTC+13 in November
        var lateEvening = (await ann.CheckInAsync(new { title_id = lib.Heat, platform = "Netflix", watched_at = "2026-11-20T10:30:00Z" }))[0]; // 11-20 23:30 local
        var afterMidnight = (await ann.CheckInAsync(new { episode_id = lib.Ep(1, 1), platform = "netflix", watched_at = "2026-11-20T11:30:00Z" }))[0]; // 11-21 00:30
        var alien = (await ann.CheckInAsync(new { title_id = lib.Alien, platform = "disney-plus", watched_at = "2026-11-21T09:00:00Z" }))[0]; // 11-21 22:00
        var episode = (await ann.CheckInAsync(new { episode_id = lib.Ep(1, 2), watched_at = "2026-11-21T11:30:00Z" }))[0]; // 11-22 00:30
        long Id(JsonElement e) => e.GetProperty("id").GetInt64();

        Assert.Equal([Id(alien), Id(lateEvening)], Ids(await ann.GetOkAsync("/api/history?type=movie")));
        Assert.Equal([Id(episode), Id(afterMidnight)], Ids(await ann.GetOkAsync("/api/history?type=series")));
        Assert.Equal([Id(lateEvening)], Ids(await ann.GetOkAsync($"/api/history?title_id={lib.Heat}")));
        Assert.Equal([Id(afterMidnight), Id(lateEvening)], Ids(await ann.GetOkAsync("/api/history?platform=Netflix")));
        Assert.Equal([Id(alien)], Ids(await ann.GetOkAsync("/api/history?platform=Disney%2B")));
        Assert.Equal([Id(alien), Id(afterMidnight)], Ids(await ann.GetOkAsync("/api/history?from=2026-11-21&to=2026-11-21")));
        Assert.Equal([Id(episode)], Ids(await ann.GetOkAsync("/api/history?from=2026-11-22")));
        Assert.Equal([Id(lateEvening)], Ids(await ann.GetOkAsync("/api/history?to=2026-11-20")));
        Assert.Equal([Id(afterMidnight)], Ids(await ann.GetOkAsync("/api/history?from=2026-11-20T11:30:00Z&to=2026-11-20T11:30:00Z")));
        Assert.Equal([Id(afterMidnight)], Ids(await ann.GetOkAsync($"/api/history?type=series&platform=netflix&from=2026-11-21&title_id={lib.Severance}")));
        Assert.Empty(Ids(await ann.GetOkAsync("/api/history?title_id=999999")));

        var row = (await ann.GetOkAsync($"/api/history?title_id={lib.Severance}&to=2026-11-21")).GetProperty("items")[0];
        Assert.Equal((lib.Ep(1, 1), 1, 1, "Episode 1"), (row.GetProperty("episode").GetProperty("id").GetInt64(),
            row.GetProperty("episode").GetProperty("season").GetInt32(), row.GetProperty("episode").GetProperty("number").GetInt32(),
            row.GetProperty("episode").GetProperty("title").GetString()));
        Assert.Equal(("netflix", "Netflix"), (row.GetProperty("platform").GetProperty("slug").GetString(), row.GetProperty("platform").GetProperty("name").GetString()));
    }

    [EachDatabase]
    public async Task Bad_parameters_are_400_naming_the_parameter(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        async Task Refused(string query, string field) => await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/history?" + query), field);

        await Refused("limit=0", "limit");
        await Refused("limit=101", "limit");
        await Refused("limit=ten", "limit");
        await Refused("cursor=garbage", "cursor");
        await Refused("cursor=" + Convert.ToBase64String("h1:12:-3"u8.ToArray()), "cursor");
        await Refused("cursor=" + Convert.ToBase64String("h2:12:3"u8.ToArray()), "cursor");
        await Refused("type=documentary", "type");
        await Refused("title_id=abc", "title_id");
        await Refused("title_id=-1", "title_id");
        await Refused("platform=Blockbuster", "platform");
        await Refused("from=yesterday", "from");
        await Refused("to=2026-13-01", "to");
        await Refused("from=0001-01-01", "from");
        await Refused("from=2026-11-21&to=2026-11-20", "to");
    }

    [EachDatabase]
    public async Task A_users_history_never_shows_another_users_check_ins(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        var mine = (await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-11-01T20:00:00Z" }))[0].GetProperty("id").GetInt64();
        await bob.CheckInAsync(new { title_id = lib.Heat });
        await bob.CheckInAsync(new { title_id = lib.Severance, season = 1 });

        Assert.Equal([mine], Ids(await ann.GetOkAsync("/api/history")));
        Assert.Equal([mine], Ids(await ann.GetOkAsync($"/api/history?title_id={lib.Heat}")));
        Assert.Empty(Ids(await ann.GetOkAsync("/api/history?type=series")));
        Assert.Empty((await ann.GetOkAsync("/api/progress")).GetProperty("items").EnumerateArray());
        Assert.Equal(4, Ids(await bob.GetOkAsync("/api/history")).Length);
    }
}
