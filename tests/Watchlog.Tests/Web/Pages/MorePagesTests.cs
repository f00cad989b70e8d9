using System.Net;
using Dapper;
using Watchlog.Catalog;
using Watchlog.Tests.Tracking;

namespace Watchlog.Tests.Web.Pages;

/// <summary>Search, settings, person pages, escaping and headers, on both engines.</summary>
public class MorePagesTests
{
    [EachDatabase]
    public async Task Search_forgives_a_typo_filters_and_pages_as_a_plain_form(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();

        var start = await web.GetAsync("search");
        Assert.Contains("Type a title", start.QuerySelector("#results")!.TextContent);
        Assert.NotNull(start.QuerySelector("form[role=search][hx-get=search][hx-select='#results']"));

        var typo = await web.SubmitAsync(start, "form[role=search]", fields: new Dictionary<string, string> { ["q"] = "severence" });
        Assert.Equal("/search", web.Last!.RequestMessage!.RequestUri!.AbsolutePath);
        var first = typo.QuerySelector("#results .card h3 a")!;
        Assert.Equal(("Severance", $"titles/{lib.Severance}"), (first.TextContent, first.GetAttribute("href")));

        var heat = await web.GetAsync("search?q=heat&type=movie&genre=crime&platform=netflix&year=1995");
        Assert.Equal("Heat", Assert.Single(heat.QuerySelectorAll("#results .card h3 a")).TextContent);
        Assert.Contains("On Netflix", heat.QuerySelector("#results .card")!.TextContent);
        Assert.Equal("crime", heat.QuerySelector("#genre option[selected]")!.GetAttribute("value"));
        var none = await web.GetAsync("search?q=heat&type=series");
        Assert.Contains("Nothing matches “heat” with these filters", none.QuerySelector("#results .empty")!.TextContent);
        var badYear = await web.GetAsync("search?q=heat&year=soon");
        Assert.Contains("The year is a number", badYear.QuerySelector("#results .flash")!.TextContent);
    }

    [EachDatabase]
    public async Task Catalog_text_is_escaped_and_pages_carry_a_strict_csp_while_docs_keep_working(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        const string evil = "<script>alert(1)</script>";
        var results = await new CatalogWriter(test.Db, TimeProvider.System).Begin("test").WriteAsync(Make.Lines(Make.Movie("xss", evil, 2024)), CancellationToken.None);
        var id = results[0].TitleId;
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();

        var raw = await web.Client.GetStringAsync($"titles/{id}");
        Assert.DoesNotContain(evil, raw);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", raw);
        var page = await web.GetAsync($"titles/{id}");
        Assert.Equal(evil + " (2024)", page.QuerySelector("h1")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("main script"));
        var search = await web.GetAsync("search?q=script+alert");
        Assert.Equal(evil, search.QuerySelector("#results .card h3 a")!.TextContent);

        var csp = web.Last!.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.All(page.QuerySelectorAll("*"), e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.Ordinal) || a.Name.StartsWith("hx-on", StringComparison.Ordinal)));
        Assert.All(page.QuerySelectorAll("script"), s => Assert.True(s.HasAttribute("src"), "no inline script"));
        Assert.Empty(page.QuerySelectorAll("[style]"));

        var docs = await app.CreateClient().GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.False(docs.Headers.Contains("Content-Security-Policy"));

        var missing = await web.GetAsync("titles/999999", HttpStatusCode.NotFound);
        Assert.Equal("Not found", missing.QuerySelector("h1")!.TextContent);
    }

    [EachDatabase]
    public async Task Settings_change_profile_region_platforms_preferences_keys_and_export(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();

        var settings = await web.GetAsync("settings");
        var bad = await web.SubmitAsync(settings, "form[action='settings/profile']", fields: new Dictionary<string, string> { ["time_zone"] = "Mars/Olympus" });
        Assert.Contains("IANA time zone", WebSession.Flash(bad));
        var saved = await web.SubmitAsync(bad, "form[action='settings/profile']", fields: new Dictionary<string, string> { ["time_zone"] = "Europe/London", ["last_name"] = "Jones" });
        Assert.Equal("Profile saved.", WebSession.Flash(saved));
        Assert.Equal("Europe/London", saved.QuerySelector("#time_zone")!.GetAttribute("value"));
        Assert.Equal("Jones", saved.QuerySelector("#last_name")!.GetAttribute("value"));

        var region = await web.SubmitAsync(saved, "form[action='settings/platforms']", fields: new Dictionary<string, string> { ["region"] = "gb", ["platforms"] = "prime-video" });
        Assert.Equal("Region and platforms saved.", WebSession.Flash(region));
        Assert.Equal("GB", region.QuerySelector("#region-code")!.GetAttribute("value"));
        Assert.True(region.QuerySelector("input[name=platforms][value=prime-video]")!.HasAttribute("checked"));
        // Where to watch now follows the region: Heat is on Prime Video in GB.
        var heat = await web.GetAsync($"titles/{lib.Heat}");
        Assert.Equal("Where to watch in GB", heat.QuerySelector("#where")!.TextContent);
        Assert.Contains("Prime Video", heat.QuerySelector("#where")!.ParentElement!.TextContent);

        var prefs = await web.SubmitAsync(region, "form[action='settings/preferences']", fields: new Dictionary<string, string> { ["moods"] = "cosy, Funny", ["avoid_genres"] = "horror" });
        Assert.Equal("Preferences saved.", WebSession.Flash(prefs));
        Assert.Equal("cosy, funny", prefs.QuerySelector("#moods")!.GetAttribute("value"));
        Assert.True(prefs.QuerySelector("input[name=avoid_genres][value=horror]")!.HasAttribute("checked"));

        var created = await web.SubmitAsync(prefs, "form[action='settings/keys']", fields: new Dictionary<string, string> { ["name"] = "Plex webhook" });
        var key = System.Text.RegularExpressions.Regex.Match(WebSession.Flash(created)!, "wl_[A-Za-z0-9_-]+").Value;
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithApiKey(key).GetAsync("/api/history")).StatusCode);
        Assert.Contains("Plex webhook", created.QuerySelector("#keys ul.list")!.TextContent);
        var deleted = await web.SubmitAsync(created, "#keys ul.list form");
        Assert.Contains("API key deleted", WebSession.Flash(deleted));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithApiKey(key).GetAsync("/api/history")).StatusCode);

        var export = await web.Client.GetAsync("settings/export?format=json");
        Assert.Equal("application/json", export.Content.Headers.ContentType!.MediaType);
        var json = System.Text.Json.JsonDocument.Parse(await export.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ann@example.com", json.GetProperty("profile").GetProperty("email").GetString());

        var wrong = await web.SubmitAsync(deleted, "form[action='settings/password']", fields: new Dictionary<string, string> { ["current_password"] = "nope nope nope", ["new_password"] = "another good passphrase" });
        Assert.Contains("not correct", WebSession.Flash(wrong));
        var changed = await web.SubmitAsync(wrong, "form[action='settings/password']", fields: new Dictionary<string, string> { ["current_password"] = WatchlogApp.DefaultPassword, ["new_password"] = "another good passphrase" });
        Assert.Contains("Password changed", WebSession.Flash(changed));

        var gone = await web.SubmitAsync(changed, "form[action='settings/delete']", fields: new Dictionary<string, string> { ["password"] = "another good passphrase" });
        Assert.Equal("/signup", web.Last!.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("has been deleted", WebSession.Flash(gone));
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [EachDatabase]
    public async Task A_person_page_marks_the_titles_the_user_watched(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var director = new PersonEntry { Name = "Ridley Scott", Role = "director" };
        var alien = Make.Movie("alien", "Alien", 1979);
        alien.People = [director];
        var gladiator = Make.Movie("gladiator", "Gladiator", 2000);
        gladiator.People = [new PersonEntry { Name = "Ridley Scott", Role = "director" }];
        var results = await new CatalogWriter(test.Db, TimeProvider.System).Begin("test").WriteAsync(Make.Lines(alien, gladiator), CancellationToken.None);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        await ann.CheckInAsync(new { title_id = results[0].TitleId });
        var web = new WebSession(app);
        await web.SignInViaFormAsync("ann@example.com");

        var title = await web.GetAsync($"titles/{results[0].TitleId}");
        var person = await web.GetAsync(title.QuerySelector("#people + ul a")!.GetAttribute("href")!);
        Assert.Equal("Ridley Scott", person.QuerySelector("h1")!.TextContent);
        var rows = person.QuerySelectorAll("ul.list > li").ToDictionary(li => li.QuerySelector("a")!.TextContent, li => li.QuerySelector(".seen") is not null);
        Assert.Equal(new Dictionary<string, bool> { ["Alien"] = true, ["Gladiator"] = false }, rows);
        Assert.Contains("You have watched 1 of 2", person.QuerySelector("p.muted")!.TextContent);
        Assert.Equal("Not found", (await web.GetAsync("people/999999", HttpStatusCode.NotFound)).QuerySelector("h1")!.TextContent);
    }
}
