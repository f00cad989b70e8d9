using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Watchlog.Tests.Metadata;

/// <summary>Database-first reads, the sync jobs and the monitor, through HTTP, with the real clients against <see cref="FakeProvider"/>.</summary>
public class MetadataApiTests
{
    internal static Action<Dictionary<string, string?>> Configure(FakeProvider fake, bool tvdb = false, int retries = 3, string jitter = "0.3") => s =>
    {
        s["Watchlog:Jobs:Enabled"] = "true";
        s["Watchlog:Metadata:Tmdb:BaseUrl"] = fake.TmdbUrl;
        s["Watchlog:Metadata:Tmdb:ReadAccessToken"] = FakeProvider.TmdbToken;
        s["Watchlog:Metadata:Tmdb:RequestsPerSecond"] = "0";
        if (tvdb)
        {
            s["Watchlog:Metadata:Tvdb:BaseUrl"] = fake.TvdbUrl;
            s["Watchlog:Metadata:Tvdb:ApiKey"] = FakeProvider.TvdbKey;
        }
        s["Watchlog:Metadata:SyncJitterSeconds"] = jitter;
        s["Watchlog:Metadata:MaxRetries"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        s["Watchlog:Metadata:RetryBaseSeconds"] = "0.2";
        s["Watchlog:Metadata:HttpRetryDelayMs"] = "10";
    };

    internal static async Task WaitUntilAsync(Func<Task<bool>> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    static async Task<JsonElement> WaitFor200Async(HttpClient client, string url)
    {
        HttpResponseMessage? last = null;
        await WaitUntilAsync(async () => (last = await client.GetAsync(url)).StatusCode != HttpStatusCode.Accepted, url);
        Assert.Equal(HttpStatusCode.OK, last!.StatusCode);
        return JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    static async Task<T> ScalarAsync<T>(TestDb test, string sql, object? args = null)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException(sql);
    }

    [EachDatabase]
    public async Task Fifty_requests_for_a_missing_title_all_get_202_one_sync_runs_then_the_whole_title_answers_200(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, Configure(fake, tvdb: true));
        var client = app.CreateClient();

        // The provider answers slowly while the 50 arrive, so the sync can't finish among them (a request that came after it
        // would rightly get 200) however the machine schedules them.
        fake.Latency = TimeSpan.FromMilliseconds(400);
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync("/api/titles/lookup?tmdb=1396&type=series")));
        fake.Latency = TimeSpan.Zero;

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var location = Assert.Single(responses.Select(r => r.Headers.Location!.ToString()).Distinct());
        Assert.NotNull(responses[0].Headers.RetryAfter);
        var title = await WaitFor200Async(client, location);
        var id = title.GetProperty("id").GetInt64();
        Assert.Equal($"/api/titles/{id}", location);
        Assert.Equal("Series 1396", title.GetProperty("title").GetString());
        Assert.Equal(1396, title.GetProperty("external_ids").GetProperty("tmdb").GetInt32());
        Assert.Equal(FakeProvider.TvdbOffset + 1396, title.GetProperty("external_ids").GetProperty("tvdb").GetInt32());
        Assert.Equal(FakeProvider.SeriesImdb(1396), title.GetProperty("external_ids").GetProperty("imdb").GetString());
        Assert.Equal([4, 4, 4], title.GetProperty("seasons").EnumerateArray().Select(s => s.GetProperty("episode_count").GetInt32()));
        Assert.Equal(8, title.GetProperty("credits").GetArrayLength());
        Assert.Contains(title.GetProperty("availability").GetProperty("US").EnumerateArray(), a => a.GetProperty("platform").GetString() == "netflix");
        Assert.Contains(title.GetProperty("aliases").EnumerateArray(), a => a.GetProperty("title").GetString() == "Serie 1396");
        Assert.True(title.GetProperty("last_synced_at").ValueKind == JsonValueKind.String);

        // One job ran: one details call, one success in the sync log.
        Assert.Equal(1, fake.Exact("/tmdb/3/tv/1396"));
        Assert.Equal(1, await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE title_id = @id AND status = 'succeeded'", new { id }));
        // Both numberings: TMDB's S3E3 is TheTVDB's S4E1.
        await using (var conn = await test.Db.OpenAsync(CancellationToken.None))
        {
            var ep = await conn.QuerySingleAsync<(long TvdbSeason, long TvdbNumber, long TmdbId)>(
                "SELECT tvdb_season_number, tvdb_number, tmdb_id FROM episodes WHERE title_id = @id AND season_number = 3 AND number = 3", new { id });
            Assert.Equal((4L, 1L, 1396L * 10_000 + 303), ep);
            Assert.Contains("tmdb_seasons", await conn.ExecuteScalarAsync<string>("SELECT raw FROM titles WHERE id = @id", new { id }));
            Assert.Equal(1, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM people WHERE tmdb_id = 5000"));
        }
        // Stored now: the lookup answers 200 at once, and search finds it.
        var again = await client.GetAsync("/api/titles/lookup?imdb=" + FakeProvider.SeriesImdb(1396));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var search = await app.GetJsonAsync("/api/search?q=Series%201396&remote=false");
        Assert.Contains(search.GetProperty("results").EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
    }

    [EachDatabase]
    public async Task A_lookup_queues_a_sync_only_while_the_title_is_still_pending(Engine engine)
    {
        // The lookup reads the title, then makes sure a pending row exists: if another request's sync landed in between,
        // the answer is the stored title, not a second fetch (seen once as two fetches in the test above).
        await using var test = await TestDb.CreateAsync(engine);
        var stored = new Watchlog.Catalog.CatalogEntry
        {
            Id = "stored", Kind = "movie", Title = "Stored Film", Year = 2001, ExternalIds = new Watchlog.Catalog.ExternalIds { Tmdb = 7 },
        };
        await new Watchlog.Catalog.CatalogWriter(test.Db, TimeProvider.System).Begin("jsonl").WriteAsync(Make.Lines(stored), CancellationToken.None);
        await using var fake = await FakeProvider.StartAsync();
        await using var app = new WatchlogApp(test, Configure(fake));
        var queue = app.Services.GetRequiredService<Watchlog.Metadata.SyncQueue>();

        var created = await queue.EnsurePendingAsync("movie", 5, null, null, CancellationToken.None);
        Assert.Equal((true, true), (created!.Value.Created, created.Value.Pending));
        var again = await queue.EnsurePendingAsync("movie", 5, null, null, CancellationToken.None);
        Assert.Equal((created.Value.Id, false, true), (again!.Value.Id, again.Value.Created, again.Value.Pending));
        var synced = await queue.EnsurePendingAsync("movie", 7, null, null, CancellationToken.None);
        Assert.Equal((false, false), (synced!.Value.Created, synced.Value.Pending));
    }

    [EachDatabase]
    public async Task When_the_provider_is_down_stored_titles_still_answer_search_degrades_and_nothing_is_half_written(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, Configure(fake, retries: 1));
        var client = app.CreateClient();
        var stored = await WaitFor200Async(client, (await client.GetAsync("/api/titles/lookup?tmdb=10&type=series")).Headers.Location!.ToString());
        var storedId = stored.GetProperty("id").GetInt64();

        // A season that keeps failing mid-series: the sync fails after its retry, the placeholder keeps nothing of it.
        fake.Fail("/tmdb/3/tv/12/season/2", Enumerable.Repeat(new FakeProvider.Fault(500), 8).ToArray());
        var pendingUrl = (await client.GetAsync("/api/titles/lookup?tmdb=12&type=series")).Headers.Location!.ToString();
        var pendingId = long.Parse(pendingUrl.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(async () => await ScalarAsync<string>(test, "SELECT coalesce(min(state), '') FROM sync_jobs WHERE title_id = @pendingId", new { pendingId }) == "failed", "the sync to fail");
        Assert.Equal(HttpStatusCode.Accepted, (await client.GetAsync(pendingUrl)).StatusCode);
        Assert.Equal(0, await ScalarAsync<long>(test, "SELECT count(*) FROM seasons WHERE title_id = @pendingId", new { pendingId }));
        Assert.Equal(0, await ScalarAsync<long>(test, "SELECT count(*) FROM credits WHERE title_id = @pendingId", new { pendingId }));
        Assert.Equal("", await ScalarAsync<string>(test, "SELECT title FROM titles WHERE id = @pendingId", new { pendingId }));
        await using (var conn = await test.Db.OpenAsync(CancellationToken.None))
        {
            var log = (await conn.QueryAsync<(string Status, long Attempts, string Error)>(
                "SELECT status, attempts, error FROM sync_log WHERE title_id = @pendingId ORDER BY id", new { pendingId })).ToList();
            Assert.Equal([("retrying", 1L), ("failed", 2L)], log.Select(l => (l.Status, l.Attempts)));
            Assert.All(log, l => Assert.Contains("season/2", l.Error));
        }

        fake.Down = true;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/titles/{storedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/titles/{storedId}/seasons/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/titles/lookup?tmdb=10&type=series")).StatusCode);
        var search = await app.GetJsonAsync("/api/search?q=Series%2010&remote=true");
        Assert.Contains(search.GetProperty("results").EnumerateArray(), r => r.GetProperty("id").GetInt64() == storedId);
        Assert.Equal(0, search.GetProperty("remote").GetArrayLength());
    }

    [EachDatabase]
    public async Task Search_merges_provider_results_not_yet_stored_and_choosing_one_queues_its_sync(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, Configure(fake));
        var client = app.CreateClient();

        // Nothing local: the provider is asked on its own.
        var found = await app.GetJsonAsync("/api/search?q=Series%2042");
        var remote = Assert.Single(found.GetProperty("remote").EnumerateArray());
        Assert.Equal(("tmdb", 42, "series", false), (remote.GetProperty("provider").GetString(), remote.GetProperty("provider_id").GetInt32(),
            remote.GetProperty("type").GetString(), remote.GetProperty("stored").GetBoolean()));
        var lookup = remote.GetProperty("lookup").GetString()!;
        Assert.Equal(HttpStatusCode.Accepted, (await client.GetAsync(lookup)).StatusCode);
        await WaitFor200Async(client, lookup);

        // Stored now: a local result, and no longer offered as remote.
        var after = await app.GetJsonAsync("/api/search?q=Series%2042&remote=true");
        Assert.Single(after.GetProperty("results").EnumerateArray());
        Assert.Empty(after.GetProperty("remote").EnumerateArray());
        var plain = await app.GetJsonAsync("/api/search?q=Series%2042&remote=false");
        Assert.False(plain.TryGetProperty("remote", out _));
        var bad = await client.GetAsync("/api/search?q=x&remote=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"remote\"", await bad.Content.ReadAsStringAsync());
    }

    [EachDatabase]
    public async Task Lookups_check_their_ids_unknown_ids_end_as_404_and_stale_titles_are_served_then_refreshed(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        // The back-dating below is written past the app, as another node would: its cached answer is checked every time.
        await using var app = new WatchlogApp(test, s => { Configure(fake)(s); s["Watchlog:Catalog:TitleCacheCheckSeconds"] = "0"; });
        var client = app.CreateClient();

        foreach (var (query, field) in new[] { ("", "tmdb"), ("tmdb=abc&type=series", "tmdb"), ("tmdb=5", "type"), ("imdb=nm0000001", "imdb"), ("tmdb=5&imdb=tt0000005&type=movie", "imdb") })
        {
            var r = await client.GetAsync("/api/titles/lookup?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains($"\"{field}\"", await r.Content.ReadAsStringAsync());
        }

        var unknown = await client.GetAsync($"/api/titles/lookup?tmdb={fake.MaxId + 1}&type=movie");
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        var url = unknown.Headers.Location!.ToString();
        await WaitUntilAsync(async () => (await client.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, "the unknown id to be dropped");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/titles/lookup?tmdb={fake.MaxId + 1}&type=movie")).StatusCode);
        Assert.Equal(1, fake.Exact($"/tmdb/3/movie/{fake.MaxId + 1}"));

        var movie = await WaitFor200Async(client, (await client.GetAsync("/api/titles/lookup?imdb=" + FakeProvider.MovieImdb(550))).Headers.Location!.ToString());
        Assert.Equal(("movie", "Movie 550"), (movie.GetProperty("kind").GetString(), movie.GetProperty("title").GetString()));
        var id = movie.GetProperty("id").GetInt64();
        var old = DateTime.UtcNow.AddDays(-8);
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE titles SET last_synced_at = @old, updated_at = @old WHERE id = @id", new { old, id }, tx), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/titles/{id}")).StatusCode);   // served at once, stale
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE title_id = @id AND status = 'succeeded'", new { id }) == 2,
            "the stale title to be refreshed");
        Assert.Equal(2, fake.Exact("/tmdb/3/movie/550"));
    }

    [EachDatabase]
    public async Task Admins_see_the_job_monitor_and_can_requeue_a_sync(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, Configure(fake));
        var admin = await app.SignUpAsync("admin@example.com");
        var user = await app.SignUpAsync("user@example.com");

        var title = await WaitFor200Async(admin.Client, (await admin.Client.GetAsync("/api/titles/lookup?tmdb=20&type=series")).Headers.Location!.ToString());
        var id = title.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync("/api/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.PostAsync($"/api/admin/sync/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/admin/jobs")).StatusCode);

        var requeue = await admin.Client.PostAsync($"/api/admin/sync/{id}", null);
        Assert.Equal(HttpStatusCode.Accepted, requeue.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostAsync("/api/admin/sync/999999", null)).StatusCode);
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE title_id = @id AND status = 'succeeded'", new { id }) == 2, "the re-sync");

        var monitor = JsonDocument.Parse(await admin.Client.GetStringAsync("/api/admin/jobs?limit=10")).RootElement;
        Assert.Equal(1, monitor.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(0, monitor.GetProperty("counts").GetProperty("queued").GetInt64());
        var stale = Assert.Single(monitor.GetProperty("scheduled").EnumerateArray(), j => j.GetProperty("job").GetString() == "stale-refresh");
        var next = stale.GetProperty("next_fire_time").GetDateTime().ToLocalTime();
        Assert.Equal((DayOfWeek.Sunday, 3, 0), (next.DayOfWeek, next.Hour, next.Minute));
        Assert.Contains(monitor.GetProperty("scheduled").EnumerateArray(), j => j.GetProperty("job").GetString() == "people-refresh");
        Assert.Contains(monitor.GetProperty("scheduled").EnumerateArray(), j => j.GetProperty("job").GetString() == "sync-log-cleanup");
        var recent = monitor.GetProperty("recent").EnumerateArray().ToList();
        Assert.Equal(2, recent.Count(r => r.GetProperty("title_id").GetInt64() == id && r.GetProperty("status").GetString() == "succeeded"));
        Assert.All(recent, r => Assert.True(r.GetProperty("duration_ms").GetInt32() >= 0 && r.GetProperty("attempts").GetInt32() >= 1));
    }

    [EachDatabase]
    public async Task The_cli_syncs_a_title_and_the_stale_ones(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        var settings = test.Settings();
        Configure(fake)(settings);

        var (code, output) = await CliRunner.RunAsync(settings, "sync", "title", "--tmdb", "1396", "--type", "series");
        Assert.True(code == 0, output);
        Assert.Contains("Synced title", output);
        Assert.Equal("Series 1396", await ScalarAsync<string>(test, "SELECT title FROM titles WHERE tmdb_id = 1396"));
        Assert.Equal(12, await ScalarAsync<long>(test, "SELECT count(*) FROM episodes e JOIN titles t ON t.id = e.title_id WHERE t.tmdb_id = 1396"));

        var (bad, badOutput) = await CliRunner.RunAsync(settings, "sync", "title", "--tmdb", "1396");
        Assert.Equal(2, bad);
        Assert.Contains("--type", badOutput);

        var old = DateTime.UtcNow.AddDays(-30);
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE titles SET last_synced_at = @old", new { old }, tx), CancellationToken.None);
        var (staleCode, staleOutput) = await CliRunner.RunAsync(settings, "sync", "stale");
        Assert.True(staleCode == 0, staleOutput);
        Assert.Contains("Synced 1 title(s), 0 failed", staleOutput);
        Assert.Equal(2, fake.Exact("/tmdb/3/tv/1396"));
    }

    [EachDatabase]
    public async Task Titles_a_history_import_could_not_match_are_looked_up_and_synced(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, Configure(fake));
        app.CreateClient();

        var queue = app.Services.GetRequiredService<Watchlog.History.IMissingTitleQueue>();
        await queue.QueueAsync([("series", "Series 77", 2008), ("movie", "Something Else Entirely", 1999)], CancellationToken.None);

        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM titles WHERE tmdb_id = 77 AND sync_state IS NULL") == 1, "the lookup and sync");
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE entity = 'lookup'") == 2, "both lookups");
        Assert.Equal(1, await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE entity = 'lookup' AND status = 'not_found'"));
    }

    [EachDatabase]
    public async Task A_retry_waiting_in_the_job_store_survives_a_restart(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        fake.Down = true;
        long id;
        await using (var first = new WatchlogApp(test, s => { Configure(fake)(s); s["Watchlog:Metadata:RetryBaseSeconds"] = "2"; }))
        {
            var client = first.CreateClient();
            var url = (await client.GetAsync("/api/titles/lookup?tmdb=31&type=movie")).Headers.Location!.ToString();
            id = long.Parse(url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
            await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE title_id = @id AND status = 'retrying'", new { id }) == 1, "the first attempt to fail");
        }   // stopped before the retry is due

        fake.Down = false;
        await using var second = new WatchlogApp(test, Configure(fake));
        var again = second.CreateClient();
        var title = await WaitFor200Async(again, $"/api/titles/{id}");
        Assert.Equal("Movie 31", title.GetProperty("title").GetString());
        Assert.Equal(2, await ScalarAsync<int>(test, "SELECT attempts FROM sync_log WHERE title_id = @id AND status = 'succeeded'", new { id }));
    }

    [EachDatabase]
    public async Task The_scheduled_jobs_refresh_stale_titles_and_people_clean_the_log_and_a_malformed_payload_fails_at_once(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, Configure(fake));
        var client = app.CreateClient();
        var id = (await WaitFor200Async(client, (await client.GetAsync("/api/titles/lookup?tmdb=5&type=series")).Headers.Location!.ToString())).GetProperty("id").GetInt64();

        fake.Nameless[9] = true;
        var broken = (await client.GetAsync("/api/titles/lookup?tmdb=9&type=series")).Headers.Location!.ToString();
        var brokenId = long.Parse(broken.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE title_id = @brokenId", new { brokenId }) == 1, "the malformed sync");
        Assert.Contains("malformed payload", await ScalarAsync<string>(test, "SELECT status || ': ' || error FROM sync_log WHERE title_id = @brokenId", new { brokenId }));
        Assert.StartsWith("failed", await ScalarAsync<string>(test, "SELECT status FROM sync_log WHERE title_id = @brokenId", new { brokenId }));

        var old = DateTime.UtcNow.AddDays(-40);
        await test.Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("UPDATE titles SET last_synced_at = @week WHERE id = @id", new { week = DateTime.UtcNow.AddDays(-8), id }, tx);
            await c.ExecuteAsync(
                "INSERT INTO sync_log (provider, entity, entity_id, status, started_at, duration_ms, attempts) VALUES ('tmdb', 'title', '1', 'succeeded', @old, 5, 1)",
                new { old }, tx);
        }, CancellationToken.None);
        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(Watchlog.Metadata.StaleRefreshJob.Key, new Quartz.JobDataMap(), CancellationToken.None);
        await scheduler.TriggerJob(Watchlog.Metadata.PeopleRefreshJob.Key, new Quartz.JobDataMap(), CancellationToken.None);
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE title_id = @id AND status = 'succeeded'", new { id }) == 2, "the stale refresh");
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM people WHERE biography IS NOT NULL AND last_synced_at IS NOT NULL") == 8, "the people refresh");
        Assert.Equal(1970, await ScalarAsync<int>(test, "SELECT birth_year FROM people WHERE tmdb_id = 5000 AND birth_date IS NOT NULL"));
        Assert.Equal("nm0005000", await ScalarAsync<string>(test, "SELECT imdb_id FROM people WHERE tmdb_id = 5000"));

        await scheduler.TriggerJob(Watchlog.Metadata.SyncLogCleanupJob.Key, new Quartz.JobDataMap(), CancellationToken.None);
        await WaitUntilAsync(async () => await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE started_at < @cut", new { cut = DateTime.UtcNow.AddDays(-30) }) == 0, "the clean-up");
        Assert.True(await ScalarAsync<long>(test, "SELECT count(*) FROM sync_log WHERE entity = 'person'") == 8);
    }
}
