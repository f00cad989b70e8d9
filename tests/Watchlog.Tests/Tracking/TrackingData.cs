using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Watchlog.Catalog;

namespace Watchlog.Tests.Tracking;

/// <summary>The seeded catalog's ids; <see cref="Ep"/> finds an episode of a series by season and number.</summary>
public sealed record Library(long Heat, long Alien, long Up, long Severance, long Dark, long Mixed,
    IReadOnlyDictionary<(long Title, int Season, int Number), long> Episodes)
{
    public long Ep(long title, int season, int number) => Episodes[(title, season, number)];
    public long Ep(int season, int number) => Ep(Severance, season, number);
}

/// <summary>
/// A small catalog for the viewing-log tests, and the HTTP intents they share. "Now" is Saturday 2026-11-21 12:00 UTC.
/// Severance: a special (S0E1), season 1 (three episodes in January), season 2 airing weekly: 11-14, 11-21, 11-22, 11-28.
/// Dark: three episodes without air dates. Mixed: dated, undated, dated, undated.
/// Heat (170 min) is on Netflix US until 11-24 and Prime Video GB, and was on Hulu US until 11-01;
/// Alien (117 min) is on Disney+ US until 12-31; Up has no runtime and no platforms.
/// </summary>
public static class TrackingData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static ManualClock Clock() => new(Now);

    static DateOnly D(int month, int day) => new(2026, month, day);

    public static async Task<Library> SeedAsync(TestDb test)
    {
        var heat = Make.Movie("heat", "Heat", 1995);
        heat.RuntimeMin = 170;
        heat.Genres = ["Crime", "Drama"];
        heat.Platforms =
        [
            new PlatformEntry { Name = "Netflix", Region = "US", ExpiresOn = D(11, 24) },
            new PlatformEntry { Name = "Prime Video", Region = "GB" },
            new PlatformEntry { Name = "Hulu", Region = "US", ExpiresOn = D(11, 1) },
        ];
        var alien = Make.Movie("alien", "Alien", 1979);
        alien.RuntimeMin = 117;
        alien.Genres = ["Horror", "Science Fiction"];
        alien.Platforms = [new PlatformEntry { Name = "Disney+", Region = "US", ExpiresOn = D(12, 31) }];
        var up = Make.Movie("up", "Up", 2009);

        var severance = Severance();
        var dark = Make.Series("dark", "Dark", 2017, (1, 3));
        var mixed = Make.Series("mixed", "Mixed Signals", 2020, (1, 4));
        Date(mixed, 1, D(1, 1), null, D(2, 1), null);

        var results = await new CatalogWriter(test.Db, TimeProvider.System).Begin("test")
            .WriteAsync(Make.Lines(heat, alien, up, severance, dark, mixed), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(RowOutcome.Imported, r.Outcome));
        var ids = results.Select(r => r.TitleId).ToArray();

        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        var episodes = (await conn.QueryAsync<(long Id, long TitleId, int Season, int Number)>(
                "SELECT id, title_id, season_number, number FROM episodes"))
            .ToDictionary(e => (e.TitleId, e.Season, e.Number), e => e.Id);
        return new Library(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], episodes);
    }

    /// <summary>Severance as seeded (source "test", id "severance"); <paramref name="s2e3"/> moves its third episode of season 2.</summary>
    public static CatalogEntry Severance(DateOnly? s2e3 = null)
    {
        var severance = Make.Series("severance", "Severance", 2022, (0, 1), (1, 3), (2, 4));
        Date(severance, 0, D(2, 1));
        Date(severance, 1, D(1, 1), D(1, 8), D(1, 15));
        Date(severance, 2, D(11, 14), D(11, 21), s2e3 ?? D(11, 22), D(11, 28));
        severance.Genres = ["Drama", "Science Fiction"];
        return severance;
    }

    static void Date(CatalogEntry series, int season, params DateOnly?[] dates)
    {
        var episodes = series.Seasons!.Single(s => s.Number == season).Episodes!;
        for (var i = 0; i < dates.Length; i++) episodes[i].AirDate = dates[i];
    }

    /// <summary>POST /api/checkins with an optional Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> PostCheckInAsync(this SignedIn user, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkins") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return user.Client.SendAsync(request);
    }

    /// <summary>POST /api/checkins expecting 201; returns the created check-ins.</summary>
    public static async Task<JsonElement[]> CheckInAsync(this SignedIn user, object body)
    {
        var answer = await WatchlogApp.ExpectAsync(await user.PostCheckInAsync(body), HttpStatusCode.Created);
        return answer.GetProperty("items").EnumerateArray().ToArray();
    }

    public static async Task<JsonElement> GetOkAsync(this SignedIn user, string url)
    {
        var response = await user.Client.GetAsync(url);
        TrackingData.AssertPrivate(response);
        return await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Personal answers are never stored by a browser or a shared cache.</summary>
    public static void AssertPrivate(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");

    public static Task<HttpResponseMessage> SendAsync(this SignedIn user, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        return user.Client.SendAsync(request);
    }

    /// <summary>Sets the user's time zone (PATCH /auth/me).</summary>
    public static async Task SetTimeZoneAsync(this SignedIn user, string zone) =>
        await WatchlogApp.ExpectAsync(await user.SendAsync(HttpMethod.Patch, "/auth/me", new { time_zone = zone }), HttpStatusCode.OK);

    /// <summary>(season, number) of each check-in's episode, in answer order.</summary>
    public static (int, int)[] Episodes(this IEnumerable<JsonElement> items) =>
        items.Select(i => (i.GetProperty("episode").GetProperty("season").GetInt32(), i.GetProperty("episode").GetProperty("number").GetInt32())).ToArray();
}
