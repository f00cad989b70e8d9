using System.Net;
using System.Text.Json;
using Dapper;
using Watchlog.Reports;
using Watchlog.Tests.Tracking;

namespace Watchlog.Tests.Reports;

public class StatsTests
{
    static object[] Months(JsonElement stats) =>
        stats.GetProperty("months").EnumerateArray()
            .Where(m => m.GetProperty("checkins").GetInt32() > 0)
            .Select(m => (object)(m.GetProperty("month").GetInt32(), m.GetProperty("minutes").GetInt64(), m.GetProperty("checkins").GetInt32()))
            .ToArray();

    static (int Days, string? From, string? To) Streak(JsonElement stats)
    {
        var s = stats.GetProperty("longest_streak");
        return (s.GetProperty("days").GetInt32(), s.GetProperty("from").GetString(), s.GetProperty("to").GetString());
    }

    [EachDatabase]
    public async Task The_year_counts_titles_minutes_months_genres_platforms_top_series_and_the_longest_streak(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using (var conn = await test.Db.OpenAsync(CancellationToken.None))
        {
            // Minutes: the episode's runtime, else the title's, else 0.
            await conn.ExecuteAsync("UPDATE titles SET runtime_min = 55 WHERE id = @id", new { id = lib.Severance });
            await conn.ExecuteAsync("UPDATE episodes SET runtime_min = 50 WHERE id = @id", new { id = lib.Ep(1, 1) });
        }
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");

        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-03-30T20:00:00Z", platform = "Netflix" });
        await ann.CheckInAsync(new { title_id = lib.Alien, watched_at = "2026-03-31T20:00:00Z", platform = "Disney+" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 1), watched_at = "2026-04-01T10:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 2), watched_at = "2026-04-01T11:00:00Z", platform = "Netflix" });
        await ann.CheckInAsync(new { title_id = lib.Up, watched_at = "2026-04-02T09:00:00Z" });
        await ann.CheckInAsync(new { episode_id = lib.Ep(lib.Dark, 1, 1), watched_at = "2026-06-10T09:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2025-12-31T20:00:00Z" }); // another year
        await bob.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-03-30T20:00:00Z", platform = "Netflix" });
        await bob.CheckInAsync(new { episode_id = lib.Ep(2, 1), watched_at = "2026-04-03T20:00:00Z" });

        var stats = await ann.GetOkAsync("/api/me/stats?year=2026");
        Assert.Equal(2026, stats.GetProperty("year").GetInt32());
        var totals = stats.GetProperty("totals");
        Assert.Equal((5, 3, 3, 392L), (totals.GetProperty("titles").GetInt32(), totals.GetProperty("movies").GetInt32(),
            totals.GetProperty("episodes").GetInt32(), totals.GetProperty("minutes").GetInt64()));
        Assert.Equal(12, stats.GetProperty("months").GetArrayLength());
        Assert.Equal([(3, 287L, 2), (4, 105L, 3), (6, 0L, 1)], Months(stats));

        var genres = stats.GetProperty("genres").EnumerateArray()
            .Select(g => (g.GetProperty("genre").GetString(), g.GetProperty("minutes").GetInt64(), g.GetProperty("checkins").GetInt32())).ToArray();
        Assert.Equal([("Drama", 275L, 3), ("Science Fiction", 222L, 3), ("Crime", 170L, 1), ("Horror", 117L, 1)], genres);

        var platforms = stats.GetProperty("platforms").EnumerateArray()
            .Select(p => (p.GetProperty("name").GetString(), p.GetProperty("minutes").GetInt64(), p.GetProperty("checkins").GetInt32())).ToArray();
        Assert.Equal([("Netflix", 225L, 2), ("Disney+", 117L, 1)], platforms);
        Assert.Equal("netflix", stats.GetProperty("platforms")[0].GetProperty("platform").GetString());

        var top = stats.GetProperty("top_series").EnumerateArray()
            .Select(s => (s.GetProperty("title_id").GetInt64(), s.GetProperty("title").GetString(), s.GetProperty("episodes").GetInt32(), s.GetProperty("minutes").GetInt64())).ToArray();
        Assert.Equal([(lib.Severance, "Severance", 2, 105L), (lib.Dark, "Dark", 1, 0L)], top);

        // March 30 to April 2: four days in a row across the month's end.
        Assert.Equal((4, "2026-03-30", "2026-04-02"), Streak(stats));

        var last = await ann.GetOkAsync("/api/me/stats?year=2025");
        Assert.Equal(1, last.GetProperty("totals").GetProperty("movies").GetInt32());
        Assert.Equal((1, "2025-12-31", "2025-12-31"), Streak(last));
    }

    [EachDatabase]
    public async Task The_users_time_zone_decides_the_day_month_and_year_of_a_check_in(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 31, 12, 0, 0, TimeSpan.Zero));
        await using var app = new WatchlogApp(test, clock: clock);
        var ann = await app.SignUpAsync();
        await ann.SetTimeZoneAsync("America/Los_Angeles");
        var kai = await app.SignUpAsync("kai@example.com");
        await kai.SetTimeZoneAsync("Pacific/Auckland");

        // 23:30 on Dec 31 in Los Angeles is Jan 1 in UTC, and 23:30 on Jan 31 is Feb 1 in UTC.
        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2025-12-31T23:30:00-08:00" });
        await ann.CheckInAsync(new { title_id = lib.Alien, watched_at = "2026-01-31T23:30:00-08:00" });
        await ann.CheckInAsync(new { title_id = lib.Up, watched_at = "2026-02-01T08:00:00Z" }); // Feb 1, 00:00 in LA
        // 06:00 on Jan 1 in Auckland is still Dec 31 in UTC.
        await kai.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-01-01T06:00:00+13:00" });

        var ann2025 = await ann.GetOkAsync("/api/me/stats?year=2025");
        Assert.Equal((1, 170L), (ann2025.GetProperty("totals").GetProperty("movies").GetInt32(), ann2025.GetProperty("totals").GetProperty("minutes").GetInt64()));
        Assert.Equal([(12, 170L, 1)], Months(ann2025));
        Assert.Equal((1, "2025-12-31", "2025-12-31"), Streak(ann2025));

        var ann2026 = await ann.GetOkAsync("/api/me/stats?year=2026");
        Assert.Equal([(1, 117L, 1), (2, 0L, 1)], Months(ann2026));
        Assert.Equal((2, "2026-01-31", "2026-02-01"), Streak(ann2026));

        var kai2026 = await kai.GetOkAsync("/api/me/stats?year=2026");
        Assert.Equal([(1, 170L, 1)], Months(kai2026));
        Assert.Equal((1, "2026-01-01", "2026-01-01"), Streak(kai2026));
        Assert.Equal(0, (await kai.GetOkAsync("/api/me/stats?year=2025")).GetProperty("totals").GetProperty("titles").GetInt32());

        // Without a year: the current year where the user is (noon UTC on Dec 31 is already 2027 in Auckland).
        Assert.Equal(2026, (await ann.GetOkAsync("/api/me/stats")).GetProperty("year").GetInt32());
        Assert.Equal(2027, (await kai.GetOkAsync("/api/me/stats")).GetProperty("year").GetInt32());
    }

    [EachDatabase]
    public async Task No_check_ins_give_zeros_and_empty_lists_and_a_bad_year_is_refused(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        await bob.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-03-30T20:00:00Z", platform = "Netflix" });

        var stats = await ann.GetOkAsync("/api/me/stats");
        Assert.Equal(2026, stats.GetProperty("year").GetInt32());
        var totals = stats.GetProperty("totals");
        Assert.Equal((0, 0, 0, 0L), (totals.GetProperty("titles").GetInt32(), totals.GetProperty("movies").GetInt32(),
            totals.GetProperty("episodes").GetInt32(), totals.GetProperty("minutes").GetInt64()));
        Assert.Equal(Enumerable.Range(1, 12), stats.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetInt32()));
        Assert.Empty(Months(stats));
        Assert.Equal(0, stats.GetProperty("genres").GetArrayLength());
        Assert.Equal(0, stats.GetProperty("platforms").GetArrayLength());
        Assert.Equal(0, stats.GetProperty("top_series").GetArrayLength());
        Assert.Equal((0, null, null), Streak(stats));

        foreach (var year in new[] { "1899", "2101", "abc", "-5", "2026.5" })
            await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync($"/api/me/stats?year={year}"), "year");
        await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/me/stats?year=1900"), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/me/stats?year=2100"), HttpStatusCode.OK);
        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().GetAsync("/api/me/stats"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void The_longest_streak_is_the_earliest_longest_run_of_consecutive_days()
    {
        static DateOnly D(int month, int day) => new(2026, month, day);
        Assert.Equal(new Streak(0, null, null), StatsStore.LongestStreak([]));
        Assert.Equal(new Streak(2, D(1, 1), D(1, 2)), StatsStore.LongestStreak([D(1, 2), D(1, 1), D(1, 1), D(1, 5), D(1, 7), D(1, 8)]));
        Assert.Equal(new Streak(3, D(2, 28), D(3, 2)), StatsStore.LongestStreak([D(3, 2), D(2, 28), D(3, 1), D(1, 1)]));
    }
}
