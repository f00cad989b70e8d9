using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Watchlog.Tests.Metadata;

namespace Watchlog.Tests.Web.Pages;

/// <summary>The admin job monitor page (/admin/jobs) over real syncs against <see cref="FakeProvider"/>, on both engines.</summary>
public class JobsPageTests
{
    static async Task<string> SyncStateAsync(TestDb test, long id)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.ExecuteScalarAsync<string>("SELECT coalesce(min(state), '') FROM sync_jobs WHERE title_id = @id", new { id }) ?? "";
    }

    static long IdOf(HttpResponseMessage lookup) =>
        long.Parse(lookup.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

    static long Count(AngleSharp.Html.Dom.IHtmlDocument page, string state) =>
        long.Parse(page.QuerySelector($"#count-{state} strong")!.TextContent, System.Globalization.CultureInfo.InvariantCulture);

    [EachDatabase]
    public async Task An_admin_sees_counts_schedules_and_recent_syncs_filters_them_and_queues_a_resync(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, MetadataApiTests.Configure(fake, retries: 0));
        var web = new WebSession(app);
        await web.SignUpAsync("admin@example.com");   // the first account is the admin
        var api = app.CreateClient();

        // One title synced, one whose payload is malformed (fails), one queued while the scheduler is paused.
        var synced = IdOf(await api.GetAsync("/api/titles/lookup?tmdb=20&type=series"));
        fake.Nameless[9] = true;
        var broken = IdOf(await api.GetAsync("/api/titles/lookup?tmdb=9&type=series"));
        Assert.Equal(HttpStatusCode.Accepted, (await api.GetAsync($"/api/titles/lookup?tmdb={fake.MaxId + 1}&type=movie")).StatusCode);   // unknown: not_found
        await MetadataApiTests.WaitUntilAsync(async () => await SyncStateAsync(test, synced) == "succeeded" && await SyncStateAsync(test, broken) == "failed"
            && (await api.GetAsync($"/api/titles/lookup?tmdb={fake.MaxId + 1}&type=movie")).StatusCode == HttpStatusCode.NotFound, "the syncs");
        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        var waiting = IdOf(await api.GetAsync("/api/titles/lookup?tmdb=30&type=movie"));
        Assert.Equal("queued", await SyncStateAsync(test, waiting));

        var home = await web.GetAsync("");
        Assert.NotNull(home.QuerySelector("nav a[href='admin/jobs']"));
        var page = await web.GetAsync("admin/jobs");
        Assert.Equal((1L, 0L, 0L, 1L, 1L), (Count(page, "queued"), Count(page, "running"), Count(page, "retrying"), Count(page, "succeeded"), Count(page, "failed")));
        var scheduled = page.QuerySelectorAll("#scheduled-jobs li").Select(li => li.TextContent).ToList();
        Assert.Contains(scheduled, s => s.Contains("stale-refresh") && s.Contains("0 0 3 ? * SUN"));
        Assert.Contains(scheduled, s => s.Contains("people-refresh"));
        Assert.Contains(scheduled, s => s.Contains("sync-log-cleanup"));
        Assert.All(page.QuerySelectorAll("#scheduled-jobs li"), li => Assert.NotNull(li.QuerySelector("time[datetime]")));
        var recent = page.QuerySelectorAll("#recent-syncs li").ToList();
        var ok = Assert.Single(recent, li => li.QuerySelector("a")?.GetAttribute("href") == $"titles/{synced}");
        Assert.Equal(("Series 20", "succeeded"), (ok.QuerySelector("a")!.TextContent, ok.GetAttribute("data-status")));
        Assert.Matches(@"\d+ ms|\d+\.\d s", ok.TextContent);
        Assert.Contains("attempt 1", ok.TextContent);
        var failed = Assert.Single(recent, li => li.GetAttribute("data-status") == "failed");
        Assert.Contains("malformed payload", failed.QuerySelector(".warn")!.TextContent);
        Assert.NotNull(failed.QuerySelector("form[action='admin/jobs/resync']"));
        var unknown = Assert.Single(recent, li => li.GetAttribute("data-status") == "not_found");
        Assert.Contains($"lookup tmdb:movie:{fake.MaxId + 1}", unknown.TextContent);
        Assert.Null(unknown.QuerySelector("form"));   // its placeholder is gone: nothing to re-sync

        var onlyFailed = await web.SubmitAsync(page, "form[action='admin/jobs']", fields: new Dictionary<string, string> { ["status"] = "failed" });
        Assert.Equal("/admin/jobs?status=failed", WebSession.Path(web.Last!));
        Assert.Equal(["failed"], onlyFailed.QuerySelectorAll("#recent-syncs li").Select(li => li.GetAttribute("data-status")).Distinct());
        Assert.Equal("failed", onlyFailed.QuerySelector("#status option[selected]")!.GetAttribute("value"));
        Assert.Contains("No retrying syncs", (await web.GetAsync("admin/jobs?status=retrying")).QuerySelector("main")!.TextContent);
        var bad = await web.GetAsync("admin/jobs?status=exploded", HttpStatusCode.BadRequest);
        Assert.Contains("succeeded, failed, retrying or not_found", bad.QuerySelector("main .flash")!.TextContent);

        // Re-sync the synced title from the page: queued (the scheduler is paused, so it stays queued).
        var after = await web.SubmitAsync(page, "form[action='admin/jobs/resync']", fields: new Dictionary<string, string> { ["title_id"] = synced.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal("/admin/jobs", WebSession.Path(web.Last!));
        Assert.Equal("A sync of “Series 20” is queued.", WebSession.Flash(after));
        Assert.Equal((2L, 0L), (Count(after, "queued"), Count(after, "succeeded")));
        Assert.True(await scheduler.Exists(Watchlog.Metadata.SyncTitleJob.Key(synced)));
        var again = await web.SubmitAsync(after, "form[action='admin/jobs/resync']", fields: new Dictionary<string, string> { ["title_id"] = synced.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal("A sync of “Series 20” was already queued or running.", WebSession.Flash(again));
        var missing = await web.SubmitAsync(again, "form[action='admin/jobs/resync']", fields: new Dictionary<string, string> { ["title_id"] = "999999" });
        Assert.Equal("There is no title with id 999999.", WebSession.Flash(missing));
    }

    [EachDatabase]
    public async Task Other_users_are_refused_and_signed_out_visitors_go_to_sign_in(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var admin = new WebSession(app);
        await admin.SignUpAsync("admin@example.com");
        var empty = await admin.GetAsync("admin/jobs");
        Assert.Equal(0, long.Parse(empty.QuerySelector("#count-queued strong")!.TextContent, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("No scheduled jobs", empty.QuerySelector("main")!.TextContent);
        Assert.Contains("Nothing in the sync log yet", empty.QuerySelector("main")!.TextContent);

        var user = new WebSession(app);
        var home = await user.SignUpAsync("user@example.com", firstName: "Ben");
        Assert.Null(home.QuerySelector("nav a[href='admin/jobs']"));
        var refused = await user.GetAsync("admin/jobs", HttpStatusCode.Forbidden);
        Assert.Equal("Administrators only", refused.QuerySelector("h1")!.TextContent);
        Assert.Null(refused.QuerySelector("#recent-syncs, #count-queued"));
        var token = home.QuerySelector("form[action=signout] input[name=__af]")!.GetAttribute("value")!;
        var post = await user.Client.PostAsync("admin/jobs/resync", new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = token, ["title_id"] = "1" }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        var visitor = new WebSession(app, followRedirects: false);
        var redirect = await visitor.Client.GetAsync("admin/jobs");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/signin?return=%2Fadmin%2Fjobs", redirect.Headers.Location!.ToString());
        var anonymousPost = await visitor.Client.PostAsync("admin/jobs/resync", new FormUrlEncodedContent(new Dictionary<string, string> { ["title_id"] = "1" }));
        Assert.Equal(HttpStatusCode.Redirect, anonymousPost.StatusCode);
        Assert.StartsWith("/signin", anonymousPost.Headers.Location!.ToString());
    }
}
