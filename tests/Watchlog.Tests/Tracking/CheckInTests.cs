using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Watchlog.Tests.Tracking;

public class CheckInTests
{
    [EachDatabase]
    public async Task A_movie_check_in_resolves_the_platform_and_sets_the_title_rating(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var response = await ann.PostCheckInAsync(new { title_id = lib.Heat, platform = "Disney+", rating = 9, note = "  The diner scene.  " });
        var created = await WatchlogApp.ExpectAsync(response, HttpStatusCode.Created);

        TrackingData.AssertPrivate(response);
        var item = Assert.Single(created.GetProperty("items").EnumerateArray());
        Assert.True(item.GetProperty("id").GetInt64() > 0);
        Assert.Equal(TrackingData.Now.UtcDateTime, item.GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(("Heat", "movie", 1995), (item.GetProperty("title").GetProperty("title").GetString(),
            item.GetProperty("title").GetProperty("kind").GetString(), item.GetProperty("title").GetProperty("year").GetInt32()));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("episode").ValueKind);
        Assert.Equal(("disney-plus", "Disney+"), (item.GetProperty("platform").GetProperty("slug").GetString(), item.GetProperty("platform").GetProperty("name").GetString()));
        Assert.Equal(9, item.GetProperty("rating").GetInt32());
        Assert.Equal("The diner scene.", item.GetProperty("note").GetString());
        var rating = await ann.GetOkAsync($"/api/titles/{lib.Heat}/rating");
        Assert.Equal(9, rating.GetProperty("rating").GetInt32());

        // A rewatch is a check-in of its own; a platform may also be given by slug.
        var again = Assert.Single(await ann.CheckInAsync(new { title_id = lib.Heat, platform = "prime-video", watched_at = "2026-11-20T21:00:00Z" }));
        Assert.NotEqual(item.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal("prime-video", again.GetProperty("platform").GetProperty("slug").GetString());
        Assert.Equal(2, (await ann.GetOkAsync("/api/history")).GetProperty("items").GetArrayLength());
    }

    [EachDatabase]
    public async Task Every_episode_form_checks_in_the_episodes_it_names(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var byId = Assert.Single(await ann.CheckInAsync(new { episode_id = lib.Ep(1, 2) }));
        Assert.Equal(lib.Ep(1, 2), byId.GetProperty("episode").GetProperty("id").GetInt64());
        Assert.Equal(("Severance", "series"), (byId.GetProperty("title").GetProperty("title").GetString(), byId.GetProperty("title").GetProperty("kind").GetString()));
        Assert.Equal("Episode 2", byId.GetProperty("episode").GetProperty("title").GetString());

        var byNumber = Assert.Single(await ann.CheckInAsync(new { title_id = lib.Severance, season = 0, episode = 1 }));
        Assert.Equal(lib.Ep(0, 1), byNumber.GetProperty("episode").GetProperty("id").GetInt64());

        // A whole season: the episodes aired by today (11-21), in order; 11-22 and 11-28 are still to come.
        var season = await ann.CheckInAsync(new { title_id = lib.Severance, season = 2, rating = 8 });
        Assert.Equal([(2, 1), (2, 2)], season.Episodes());
        Assert.All(season, s => Assert.Equal(8, s.GetProperty("rating").GetInt32()));
        Assert.Equal(8, (await ann.GetOkAsync($"/api/titles/{lib.Severance}/rating")).GetProperty("rating").GetInt32());

        // Up to S2E1: what is left unwatched before it (S1E1, S1E3); not the special, not S1E2 or S2E1 again.
        var upTo = await ann.CheckInAsync(new { title_id = lib.Severance, up_to = new { season = 2, episode = 1 } });
        Assert.Equal([(1, 1), (1, 3)], upTo.Episodes());
        Assert.True(upTo[0].GetProperty("id").GetInt64() < upTo[1].GetProperty("id").GetInt64());

        // Nothing left to check in: 200 with no items, nothing written.
        var nothing = await WatchlogApp.ExpectAsync(await ann.PostCheckInAsync(new { title_id = lib.Severance, up_to = new { season = 1, episode = 3 } }), HttpStatusCode.OK);
        Assert.Equal(0, nothing.GetProperty("items").GetArrayLength());
        Assert.Equal(6, (await ann.GetOkAsync("/api/history?limit=100")).GetProperty("items").GetArrayLength());
    }

    [EachDatabase]
    public async Task Up_to_takes_unaired_target_and_undated_episodes_before_it_but_nothing_after(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var severance = await ann.CheckInAsync(new { title_id = lib.Severance, up_to = new { season = 2, episode = 3 } });
        var mixed = await ann.CheckInAsync(new { title_id = lib.Mixed, up_to = new { season = 1, episode = 3 } });

        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)], severance.Episodes()); // S2E3 airs tomorrow: named, so taken
        Assert.Equal([(1, 1), (1, 2), (1, 3)], mixed.Episodes());
    }

    [EachDatabase]
    public async Task A_check_in_that_does_not_fit_is_a_400_naming_the_field(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        async Task Refused(object body, string field) => await WatchlogApp.ExpectFieldErrorAsync(await ann.PostCheckInAsync(body), field);

        await Refused(new { }, "title_id");
        await Refused(new { rating = 5 }, "title_id");
        await Refused(new { title_id = lib.Heat, episode_id = lib.Ep(1, 1) }, "episode_id");
        await Refused(new { episode_id = lib.Ep(1, 1), season = 1 }, "season");
        await Refused(new { episode_id = lib.Ep(1, 1), up_to = new { season = 1, episode = 2 } }, "up_to");
        await Refused(new { title_id = lib.Severance, episode = 2 }, "season");
        await Refused(new { title_id = lib.Severance, season = 1, up_to = new { season = 1, episode = 2 } }, "up_to");
        await Refused(new { title_id = lib.Severance, up_to = new { season = 0, episode = 1 } }, "up_to.season");
        await Refused(new { title_id = lib.Severance, up_to = new { season = 1 } }, "up_to.episode");
        await Refused(new { title_id = lib.Severance, up_to = 3 }, "up_to");
        await Refused(new { title_id = -4 }, "title_id");
        await Refused(new { title_id = "heat" }, "title_id");
        await Refused(new { title_id = lib.Heat, season = -1 }, "season");
        await Refused(new { title_id = lib.Heat, rating = 0 }, "rating");
        await Refused(new { title_id = lib.Heat, rating = 11 }, "rating");
        await Refused(new { title_id = lib.Heat, rating = 7.5 }, "rating");
        await Refused(new { title_id = lib.Heat, rating = "9" }, "rating");
        await Refused(new { title_id = lib.Heat, note = new string('x', 1001) }, "note");
        await Refused(new { title_id = lib.Heat, note = "bell\u0007" }, "note");
        await Refused(new { title_id = lib.Heat, platform = "Blockbuster Night" }, "platform");
        await Refused(new { title_id = lib.Heat, watched_at = "last tuesday" }, "watched_at");
        await Refused(new { title_id = lib.Heat, watched_at = "2026-11-22T12:00:01Z" }, "watched_at"); // more than a day ahead
        await Refused(new { title_id = lib.Heat, watched_at = "1850-01-01T00:00:00Z" }, "watched_at");
        // The kind of title decides which forms fit.
        await Refused(new { title_id = lib.Severance }, "title_id");
        await Refused(new { title_id = lib.Heat, season = 1, episode = 1 }, "season");
        await Refused(new { title_id = lib.Heat, season = 1 }, "season");
        await Refused(new { title_id = lib.Heat, up_to = new { season = 1, episode = 1 } }, "up_to");
        // Mixed Signals has no season 2.
        await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { title_id = lib.Mixed, season = 2 }), HttpStatusCode.NotFound);

        var several = await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { title_id = lib.Heat, rating = 12, note = new string('x', 1001), platform = "nope" }), HttpStatusCode.BadRequest);
        Assert.Equal(["note", "platform", "rating"], several.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        var malformed = await ann.Client.PostAsync("/api/checkins", new StringContent("nonsense", Encoding.UTF8, "application/json"));
        await WatchlogApp.ExpectFieldErrorAsync(malformed, "body");

        Assert.Empty((await ann.GetOkAsync("/api/history")).GetProperty("items").EnumerateArray());
    }

    [EachDatabase]
    public async Task Watched_at_may_be_in_the_past_or_up_to_a_day_ahead_and_without_offset_is_local_time(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.SetTimeZoneAsync("America/New_York");

        var past = Assert.Single(await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "1996-02-03T20:00:00+01:00" }));
        var ahead = Assert.Single(await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-11-22T11:59:00Z" }));
        var local = Assert.Single(await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-11-20T21:30" }));

        Assert.Equal(new DateTime(1996, 2, 3, 19, 0, 0, DateTimeKind.Utc), past.GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(new DateTime(2026, 11, 22, 11, 59, 0, DateTimeKind.Utc), ahead.GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(new DateTime(2026, 11, 21, 2, 30, 0, DateTimeKind.Utc), local.GetProperty("watched_at").GetDateTime().ToUniversalTime());
    }

    [EachDatabase]
    public async Task Unknown_titles_and_episodes_are_404(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { title_id = 999_999 }), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { episode_id = 999_999 }), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { title_id = lib.Severance, season = 1, episode = 9 }), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { title_id = lib.Severance, season = 7 }), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await ann.PostCheckInAsync(new { title_id = lib.Severance, up_to = new { season = 3, episode = 1 } }), HttpStatusCode.NotFound);
    }

    [EachDatabase]
    public async Task A_retry_with_the_same_idempotency_key_answers_the_first_result_without_duplicates(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        var body = new { title_id = lib.Severance, season = 1, platform = "netflix" };

        var first = await ann.PostCheckInAsync(body, key: "5b0c2c1e-retry");
        var firstBody = await first.Content.ReadAsStringAsync();
        var retry = await ann.PostCheckInAsync(body, key: "5b0c2c1e-retry");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(3, await CheckInCountAsync(test, ann.UserId));

        // The same key with another body is a conflict; another user's identical key is their own.
        var reused = await ann.PostCheckInAsync(new { title_id = lib.Severance, season = 2 }, key: "5b0c2c1e-retry");
        await WatchlogApp.ExpectProblemAsync(reused, HttpStatusCode.Conflict);
        await WatchlogApp.ExpectAsync(await bob.PostCheckInAsync(body, key: "5b0c2c1e-retry"), HttpStatusCode.Created);
        Assert.Equal(3, await CheckInCountAsync(test, ann.UserId));
        Assert.Equal(3, await CheckInCountAsync(test, bob.UserId));

        // Without a key every POST is a new check-in.
        await ann.CheckInAsync(new { title_id = lib.Heat });
        await ann.CheckInAsync(new { title_id = lib.Heat });
        Assert.Equal(5, await CheckInCountAsync(test, ann.UserId));

        await WatchlogApp.ExpectFieldErrorAsync(await ann.PostCheckInAsync(body, key: new string('k', 201)), "Idempotency-Key");
    }

    [EachDatabase]
    public async Task A_refused_request_does_not_use_up_its_idempotency_key(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        await WatchlogApp.ExpectFieldErrorAsync(await ann.PostCheckInAsync(new { title_id = lib.Heat, rating = 99 }, key: "k1"), "rating");
        await WatchlogApp.ExpectAsync(await ann.PostCheckInAsync(new { title_id = lib.Heat, rating = 9 }, key: "k1"), HttpStatusCode.Created);

        Assert.Equal(1, await CheckInCountAsync(test, ann.UserId));
    }

    [EachDatabase]
    public async Task Idempotency_keys_are_kept_in_the_database_across_restarts(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        string token, first;
        await using (var app = new WatchlogApp(test, clock: TrackingData.Clock()))
        {
            var ann = await app.SignUpAsync();
            token = ann.AccessToken;
            first = await (await ann.PostCheckInAsync(new { title_id = lib.Heat }, key: "after-restart")).Content.ReadAsStringAsync();
        }

        await using var restarted = new WatchlogApp(test, clock: TrackingData.Clock());
        var client = restarted.ClientWithToken(token);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkins") { Content = JsonContent.Create(new { title_id = lib.Heat }) };
        request.Headers.Add("Idempotency-Key", "after-restart");
        var retry = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first, await retry.Content.ReadAsStringAsync());
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(1L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM checkins"));
    }

    [EachDatabase]
    public async Task Concurrent_retries_with_one_key_write_once(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ann.PostCheckInAsync(new { title_id = lib.Severance, season = 1 }, key: "burst")));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Equal(3, await CheckInCountAsync(test, ann.UserId));
    }

    [EachDatabase]
    public async Task A_check_in_can_be_deleted_by_its_owner_only(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        var id = (await ann.CheckInAsync(new { title_id = lib.Heat }))[0].GetProperty("id").GetInt64();

        await WatchlogApp.ExpectProblemAsync(await bob.SendAsync(HttpMethod.Delete, $"/api/checkins/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(1, await CheckInCountAsync(test, ann.UserId));

        var deleted = await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{id}");
        await WatchlogApp.ExpectAsync(deleted, HttpStatusCode.NoContent);
        TrackingData.AssertPrivate(deleted);
        await WatchlogApp.ExpectProblemAsync(await ann.SendAsync(HttpMethod.Delete, $"/api/checkins/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await CheckInCountAsync(test, ann.UserId));
    }

    [EachDatabase]
    public async Task Every_viewing_log_endpoint_needs_a_signed_in_user(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var anonymous = app.CreateClient();
        var requests = new (HttpMethod, string)[]
        {
            (HttpMethod.Post, "/api/checkins"), (HttpMethod.Delete, "/api/checkins/1"), (HttpMethod.Get, "/api/history"),
            (HttpMethod.Get, "/api/progress"), (HttpMethod.Get, $"/api/titles/{lib.Heat}/rating"), (HttpMethod.Put, $"/api/titles/{lib.Heat}/rating"),
            (HttpMethod.Delete, $"/api/titles/{lib.Heat}/rating"), (HttpMethod.Get, "/api/watchlist"), (HttpMethod.Post, "/api/watchlist"),
            (HttpMethod.Delete, $"/api/watchlist/{lib.Heat}"), (HttpMethod.Patch, $"/api/watchlist/{lib.Heat}/watched"),
            (HttpMethod.Get, "/api/me/platforms"), (HttpMethod.Put, "/api/me/platforms"), (HttpMethod.Get, "/api/me/preferences"),
            (HttpMethod.Patch, "/api/me/preferences"),
        };

        foreach (var (method, url) in requests)
        {
            var request = new HttpRequestMessage(method, url);
            if (method != HttpMethod.Get && method != HttpMethod.Delete) request.Content = JsonContent.Create(new { title_id = lib.Heat });
            var response = await anonymous.SendAsync(request);
            await WatchlogApp.ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
            TrackingData.AssertPrivate(response);
        }
        var badToken = app.ClientWithToken("not-a-token");
        await WatchlogApp.ExpectProblemAsync(await badToken.GetAsync("/api/history"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_viewing_log_is_described_in_the_OpenAPI_document()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var app = new WatchlogApp(test);

        var paths = (await app.GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        foreach (var (path, method) in new[] { ("/api/checkins", "post"), ("/api/checkins/{id}", "delete"), ("/api/history", "get"),
                     ("/api/progress", "get"), ("/api/titles/{id}/rating", "put"), ("/api/watchlist", "get"), ("/api/watchlist/{titleId}/watched", "patch"),
                     ("/api/me/platforms", "put"), ("/api/me/preferences", "patch") })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} doesn't say it needs credentials");
        }
        Assert.Contains(paths.GetProperty("/api/checkins").GetProperty("post").GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
    }

    internal static async Task<int> CheckInCountAsync(TestDb test, long userId)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return (int)await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM checkins WHERE user_id = @userId", new { userId });
    }
}
