using System.Net;
using Watchlog.Catalog;
using Watchlog.Tests.Tracking;

namespace Watchlog.Tests.Web.Pages;

/// <summary>
/// The web UI's server side, page by page, on both engines: what each page shows and what each form changes, through
/// the HTTP pipeline as a browser without JavaScript sees it (<see cref="WebSession"/>). The Playwright project drives
/// the same paths in Chromium on SQLite.
/// </summary>
public class CorePathTests
{
    [EachDatabase]
    public async Task Pages_need_a_web_session_and_the_cookie_never_opens_the_api(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var anonymous = new WebSession(app, followRedirects: false);
        var response = await anonymous.Client.GetAsync("history?type=movie");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?return=%2Fhistory%3Ftype%3Dmovie", response.Headers.Location!.OriginalString);

        // A bearer token is for the API: it does not open pages.
        var api = await app.SignUpAsync("api@example.com");
        var withToken = await api.Client.GetAsync("/history");
        Assert.Equal("/signin", withToken.RequestMessage!.RequestUri!.AbsolutePath);

        var web = new WebSession(app);
        await web.SignUpAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await web.Client.GetAsync("/api/history")).StatusCode);
        var page = await web.GetAsync("history");
        Assert.Equal("History", page.QuerySelector("h1")!.TextContent);
    }

    [EachDatabase]
    public async Task Sign_up_sets_a_locked_down_cookie_and_sign_out_ends_the_session(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app, followRedirects: false);
        var signup = await web.GetAsync("signup");
        var response = await web.Client.PostAsync("account", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = signup.QuerySelector("form[action=account] input[name=__af]")!.GetAttribute("value")!,
            ["first_name"] = "Ann", ["email"] = "ann@example.com", ["password"] = WatchlogApp.DefaultPassword,
        }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("watchlog_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var home = await web.GetAsync("/");
        Assert.Contains("Welcome, Ann!", WebSession.Flash(home));
        Assert.Contains("Your history is empty", home.QuerySelector("#recent")!.ParentElement!.TextContent);

        // Signing out revokes the session in the database: the same cookie replayed no longer works.
        var token = cookie.Split(';')[0]["watchlog_session=".Length..];
        var signout = await web.Client.PostAsync("signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = home.QuerySelector("form[action=signout] input[name=__af]")!.GetAttribute("value")!,
        }));
        Assert.Equal(HttpStatusCode.SeeOther, signout.StatusCode);
        var replay = new HttpRequestMessage(HttpMethod.Get, "/");
        replay.Headers.Add("Cookie", "watchlog_session=" + token);
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient(new() { BaseAddress = new Uri("https://localhost/"), HandleCookies = false, AllowAutoRedirect = false }).SendAsync(replay)).StatusCode);

        // Wrong password: the form comes back with the email kept and a message; the right one goes where it was asked.
        var again = new WebSession(app);
        var signin = await again.GetAsync("signin?return=%2Fwatchlist");
        var refused = await again.SubmitAsync(signin, "form[action=session]", fields: new Dictionary<string, string> { ["email"] = "ann@example.com", ["password"] = "not the password" });
        Assert.Equal("The email address or the password is not correct.", WebSession.Flash(refused));
        Assert.Equal("ann@example.com", refused.QuerySelector("#email")!.GetAttribute("value"));
        await again.SubmitAsync(refused, "form[action=session]", fields: new Dictionary<string, string> { ["password"] = WatchlogApp.DefaultPassword });
        Assert.Equal("/watchlist", WebSession.Path(again.Last!));
    }

    [EachDatabase]
    public async Task Sign_up_errors_name_what_to_fix_and_keep_what_was_typed(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        var page = await web.GetAsync("signup");
        var refused = await web.SubmitAsync(page, "form[action=account]", fields: new Dictionary<string, string>
        {
            ["first_name"] = "Ann", ["email"] = "ann@example.com", ["password"] = "short",
        });
        Assert.Equal("/signup", web.Last!.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("10 characters", WebSession.Flash(refused));
        Assert.Equal("ann@example.com", refused.QuerySelector("#email")!.GetAttribute("value"));
        Assert.Equal("Ann", refused.QuerySelector("#first_name")!.GetAttribute("value"));
    }

    [EachDatabase]
    public async Task A_series_is_checked_in_by_episode_and_by_season_and_shows_in_progress_history_and_home(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();

        // Season 1 is shown first (the first regular season), its three episodes unwatched.
        var title = await web.GetAsync($"titles/{lib.Severance}");
        Assert.Equal("Severance (2022)", title.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(3, title.QuerySelectorAll("#episodes + form ol.episodes > li").Length);
        Assert.Empty(title.QuerySelectorAll("ol.episodes .seen"));

        var afterEpisode = await web.SubmitAsync(title, "section:has(#episodes) form", $"button[value='{lib.Ep(1, 2)}']");
        Assert.Equal($"/titles/{lib.Severance}", WebSession.Path(web.Last!));
        Assert.Equal("Checked in Severance S1E2.", WebSession.Flash(afterEpisode));
        Assert.NotNull(afterEpisode.QuerySelector($"#e{lib.Ep(1, 2)} .seen"));
        Assert.Null(afterEpisode.QuerySelector($"#e{lib.Ep(1, 1)} .seen"));

        // A whole season: the aired episodes of season 2 (two by "today", 2026-11-21).
        var afterSeason = await web.SubmitAsync(afterEpisode, "section:has(#seasons) form", "button[name=season][value='2']");
        Assert.Equal("Checked in 2 episodes of Severance.", WebSession.Flash(afterSeason));
        var seasons = afterSeason.QuerySelectorAll("ul.seasons > li").ToDictionary(li => li.QuerySelector("a.name")!.TextContent, li => li.QuerySelector("progress")!);
        Assert.Equal(("2", "4"), (seasons["Season 2"].GetAttribute("value"), seasons["Season 2"].GetAttribute("max")));
        Assert.Equal(("1", "3"), (seasons["Season 1"].GetAttribute("value"), seasons["Season 1"].GetAttribute("max")));
        var overall = afterSeason.QuerySelector("progress.wide")!;
        Assert.Equal(("3", "5"), (overall.GetAttribute("value"), overall.GetAttribute("max")));   // watched / aired outside specials

        var history = await web.GetAsync("history");
        var rows = history.QuerySelectorAll("ul.list > li .grow").Select(li => li.TextContent).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Contains("Severance", r));
        Assert.Contains(rows, r => r.Contains("S1E2"));
        Assert.Contains(rows, r => r.Contains("S2E1"));

        // Home: up next is the first aired, unwatched episode after the latest one watched; one click checks it in.
        var home = await web.GetAsync("/");
        var card = home.QuerySelector("#upnext + ul .card")!;
        Assert.Contains("Severance", card.TextContent);
        Assert.Equal(lib.Ep(1, 1).ToString(), card.QuerySelector("input[name=episode_id]")!.GetAttribute("value"));
        var next = await web.SubmitAsync(home, "#upnext + ul form");
        Assert.Equal("/", WebSession.Path(web.Last!));
        Assert.Equal("Checked in Severance S1E1.", WebSession.Flash(next));
        Assert.Equal(4, (await web.GetAsync("history")).QuerySelectorAll("ul.list > li").Length);
    }

    [EachDatabase]
    public async Task A_movie_goes_on_the_watchlist_is_marked_watched_and_counts_in_stats(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();

        var empty = await web.GetAsync("watchlist");
        Assert.Contains("Your watchlist is empty", empty.QuerySelector(".empty")!.TextContent);
        var stats0 = await web.GetAsync("stats");
        Assert.Contains("Nothing checked in during 2026", stats0.QuerySelector(".empty")!.TextContent);

        var heat = await web.GetAsync($"titles/{lib.Heat}");
        Assert.Contains("Netflix", heat.QuerySelector("#where")!.ParentElement!.TextContent);   // Heat is on Netflix in the US until 11-24
        var added = await web.SubmitAsync(heat, $"form[action='titles/{lib.Heat}/watchlist']");
        Assert.Equal("Added to your watchlist.", WebSession.Flash(added));
        Assert.NotNull(added.QuerySelector($"form[action='titles/{lib.Heat}/watchlist/remove']"));

        // Leaving Netflix in 3 days: the home page warns about it.
        var home = await web.GetAsync("/");
        Assert.Contains("Heat", home.QuerySelector("#expiring + ul")!.TextContent);

        var list = await web.GetAsync("watchlist?sort=expiring");
        Assert.Contains("Heat", list.QuerySelector(".cards")!.TextContent);
        var watched = await web.SubmitAsync(list, $"form[action='watchlist/{lib.Heat}/watched']");
        Assert.Equal("Marked Heat watched.", WebSession.Flash(watched));
        Assert.Contains("Watched", watched.QuerySelector(".cards .seen")!.TextContent);

        var stats = await web.GetAsync("stats");
        Assert.Equal("2h 50m", stats.QuerySelector("#total-minutes")!.TextContent);
        var november = stats.QuerySelectorAll("table.visually-hidden")[0].QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "Nov");
        Assert.Equal("170 min", november.QuerySelector("td")!.TextContent);
        Assert.Contains("Crime", stats.QuerySelector("#genres")!.ParentElement!.TextContent);

        // The title page shows it watched; check it in again on another day and rate it.
        var again = await web.GetAsync($"titles/{lib.Heat}");
        Assert.Contains("Watched once", again.QuerySelector("#checkin + .seen")!.TextContent);
        var twice = await web.SubmitAsync(again, $"section:has(#checkin) form", fields: new Dictionary<string, string> { ["watched_on"] = "2026-11-01" });
        Assert.Contains("Watched 2 times", twice.QuerySelector("#checkin + .seen")!.TextContent);
        var rated = await web.SubmitAsync(twice, $"form[action='titles/{lib.Heat}/rating']", fields: new Dictionary<string, string> { ["rating"] = "9" });
        Assert.Equal("Rated 9/10.", WebSession.Flash(rated));
        Assert.Equal("9", rated.QuerySelector("#rate option[selected]")!.GetAttribute("value"));

        var removed = await web.SubmitAsync(rated, $"form[action='titles/{lib.Heat}/watchlist/remove']");
        Assert.Equal("Removed from your watchlist.", WebSession.Flash(removed));
    }

    [EachDatabase]
    public async Task A_future_date_or_a_missing_token_writes_nothing(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();
        var heat = await web.GetAsync($"titles/{lib.Heat}");

        var future = await web.SubmitAsync(heat, "section:has(#checkin) form", fields: new Dictionary<string, string> { ["watched_on"] = "2026-12-01" });
        Assert.Equal("That date is in the future.", WebSession.Flash(future));

        var forged = await web.SubmitAsync(heat, "section:has(#checkin) form", fields: new Dictionary<string, string> { ["__af"] = "forged" });
        Assert.Contains("expired", WebSession.Flash(forged));
        var json = await web.Client.PostAsync($"titles/{lib.Heat}/checkins", System.Net.Http.Json.JsonContent.Create(new { title_id = lib.Heat }));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);   // refused by the antiforgery check (no token in a JSON body): back to a page
        Assert.Contains("Nothing watched yet", (await web.GetAsync("history")).QuerySelector(".empty")!.TextContent);

        // A double submit of the same rendered form records one check-in.
        await web.SubmitAsync(heat, "section:has(#checkin) form");
        var second = await web.SubmitAsync(heat, "section:has(#checkin) form");
        Assert.Equal("Already checked in.", WebSession.Flash(second));
        Assert.Single((await web.GetAsync("history")).QuerySelectorAll("ul.list > li"));
    }

    [EachDatabase]
    public async Task History_filters_pages_and_deletes_only_the_users_own_check_ins(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync("ann@example.com");
        await ann.CheckInAsync(new { title_id = lib.Heat, platform = "netflix", watched_at = "2026-10-02T20:00:00Z" });
        await ann.CheckInAsync(new { title_id = lib.Severance, season = 1 });
        for (var i = 0; i < 30; i++) await ann.CheckInAsync(new { title_id = lib.Alien, watched_at = $"2026-09-{1 + i % 28:00}T10:{i:00}:00Z" });
        var web = new WebSession(app);
        await web.SignInViaFormAsync("ann@example.com");

        var first = await web.GetAsync("history");
        Assert.Equal(30, first.QuerySelectorAll("ul.list > li").Length);
        var older = await web.GetAsync(first.QuerySelector("nav.pager a[href*=cursor]")!.GetAttribute("href")!);
        Assert.Equal(4, older.QuerySelectorAll("ul.list > li").Length);

        var movies = await web.GetAsync("history?type=movie&platform=netflix");
        Assert.Equal("Heat", Assert.Single(movies.QuerySelectorAll("ul.list > li .grow a")).TextContent);
        var october = await web.GetAsync("history?from=2026-10-01&to=2026-10-31");
        Assert.Single(october.QuerySelectorAll("ul.list > li"));
        var bad = await web.GetAsync("history?from=yesterday");
        Assert.Contains("“From” is a date", bad.QuerySelector(".flash.error")!.TextContent);
        Assert.Contains("No check-ins match", (await web.GetAsync("history?type=series&from=2026-10-01&to=2026-10-31")).QuerySelector(".empty")!.TextContent);

        var deleted = await web.SubmitAsync(movies, "ul.list form");
        Assert.Equal("Check-in deleted.", WebSession.Flash(deleted));
        Assert.Equal("/history?type=movie&platform=netflix", WebSession.Path(web.Last!));
        Assert.Contains("No check-ins match", deleted.QuerySelector(".empty")!.TextContent);

        // Bob cannot delete Ann's check-ins, even with a valid form of his own.
        var bob = new WebSession(app);
        var bobHome = await bob.SignUpAsync("bob@example.com", firstName: "Bob");
        var annsId = (await ann.GetOkAsync("/api/history?limit=1")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var refused = await bob.Client.PostAsync($"history/{annsId}/delete", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = bobHome.QuerySelector("form[action=signout] input[name=__af]")!.GetAttribute("value")!,
        }));
        Assert.Contains("does not exist", WebSession.Flash(await ParseAsync(refused)));
        Assert.Equal(33, (await ann.GetOkAsync("/api/history?limit=100")).GetProperty("items").GetArrayLength());
    }

    static async Task<AngleSharp.Html.Dom.IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
}

public static class WebSessionExtensions
{
    public static async Task<AngleSharp.Html.Dom.IHtmlDocument> SignInViaFormAsync(this WebSession web, string email, string password = WatchlogApp.DefaultPassword)
    {
        var page = await web.GetAsync("signin");
        return await web.SubmitAsync(page, "form[action=session]", fields: new Dictionary<string, string> { ["email"] = email, ["password"] = password });
    }
}
