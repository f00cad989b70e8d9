using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Watchlog.Browser;

/// <summary>
/// The core path in Chromium, with htmx (JavaScript on), without JavaScript, on a phone-sized screen, and a title
/// whose name is a script. A failing test leaves a full-page screenshot in bin/…/artifacts (./test.sh keeps them).
/// </summary>
public class BrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static int _users;

    sealed record Run(IPage Page, bool Script)
    {
        /// <summary>Before each click: htmx idle (TOOLCHAIN.md pitfall 10), or the page loaded when there is no script.</summary>
        public async Task IdleAsync()
        {
            if (Script)
                await Page.WaitForFunctionAsync("() => window.htmx && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')");
            else
                await Page.WaitForLoadStateAsync(LoadState.Load);
        }
    }

    async Task WithPageAsync(BrowserNewContextOptions options, bool script, Func<Run, Task> body, [CallerMemberName] string name = "")
    {
        options.JavaScriptEnabled = script;
        options.BaseURL = app.BaseUrl;
        await using var context = await app.Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);
        page.Dialog += async (_, d) => { problems.Add("dialog: " + d.Message); await d.DismissAsync(); };
        try
        {
            await body(new Run(page, script));
            Assert.Empty(problems);   // no CSP violation, no script error, no alert
        }
        catch
        {
            Directory.CreateDirectory(BrowserApp.Artifacts);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.Artifacts, $"{name}.png"), FullPage = true });
            throw;
        }
    }

    static ILocator Nav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    static string NewEmail() => $"viewer{Interlocked.Increment(ref _users)}@example.com";

    /// <summary>
    /// Sign up → search with a typo → open the series → check in an episode and a whole season → both in history and in
    /// progress → a film onto the watchlist → marked watched → stats show the minutes.
    /// </summary>
    static async Task CorePathAsync(Run run)
    {
        var page = run.Page;
        await page.GotoAsync("signup");
        await run.IdleAsync();
        if (run.Script) Assert.True(await page.EvaluateAsync<bool>("() => typeof window.htmx === 'object'"), "htmx is loaded");
        await page.GetByLabel("First name").FillAsync("Ann");
        await page.GetByLabel("Email").FillAsync(NewEmail());
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("correct horse battery staple");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Welcome, Ann!");

        // Search with a typo: as you type with htmx, by submitting the form without it.
        await run.IdleAsync();
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/search$"));
        await run.IdleAsync();
        await page.GetByLabel("Title, person or network").FillAsync("braking bad");
        if (!run.Script) await page.GetByLabel("Title, person or network").PressAsync("Enter");
        var result = page.Locator("#results .card h3 a").First;
        await Expect(result).ToHaveTextAsync("Breaking Bad");
        await Expect(page).ToHaveURLAsync(new Regex("q=braking"));   // as-you-type keeps the address shareable
        await run.IdleAsync();
        await result.ClickAsync();
        // The title page of a 62-episode series: allow for a loaded CI machine (a phone run once took over 5 s).
        await Expect(page.Locator("h1")).ToHaveTextAsync("Breaking Bad (2008)", new() { Timeout = 20_000 });

        // One episode, then a whole season.
        await run.IdleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check in S1E1" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Checked in Breaking Bad S1E1.");
        await Expect(page.Locator("ol.episodes li").First.Locator(".seen")).ToBeVisibleAsync();
        await run.IdleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check in all aired episodes of Season 2" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Checked in 13 episodes of Breaking Bad.");
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Season 2: episodes watched" })).ToHaveAttributeAsync("value", "13");
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Episodes watched", Exact = true })).ToHaveAttributeAsync("value", "14");

        await run.IdleAsync();
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(page.Locator("main ul.list > li")).ToHaveCountAsync(14);
        await Expect(page.Locator("main ul.list")).ToContainTextAsync("S1E1");
        await Expect(page.Locator("main ul.list")).ToContainTextAsync("S2E13");
        await run.IdleAsync();
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Expect(page.Locator("#upnext + ul .card").First).ToContainTextAsync("Breaking Bad");
        await Expect(page.Locator("#upnext + ul .card").First).ToContainTextAsync("S3E1");

        // A film: onto the watchlist, then marked watched from there.
        await run.IdleAsync();
        await page.GotoAsync("search?q=citizen+kane&type=movie");
        await run.IdleAsync();
        await page.Locator("#results .card h3 a", new() { HasText = "Citizen Kane" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Citizen Kane (1941)");
        await run.IdleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to watchlist" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Added to your watchlist.");
        await run.IdleAsync();
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = "Watchlist" }).ClickAsync();
        await run.IdleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark Citizen Kane watched" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Marked Citizen Kane watched.");
        await Expect(page.Locator(".cards .seen")).ToContainTextAsync("Watched");

        await run.IdleAsync();
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = "Stats" }).ClickAsync();
        var minutes = await page.Locator("#total-minutes").InnerTextAsync();
        Assert.Matches(@"^\d+h \d\dm$", minutes);
        Assert.NotEqual("0 min", minutes);
        await Expect(page.Locator("main")).ToContainTextAsync("episodes");
        await Expect(page.Locator("svg.chart rect.bar:not([height='0'])").First).ToBeVisibleAsync();   // this month's bar
    }

    [Fact]
    public Task Core_path_with_htmx() => WithPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } }, script: true, CorePathAsync);

    [Fact]
    public Task Core_path_without_javascript() => WithPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } }, script: false, CorePathAsync);

    [Fact]
    public Task Core_path_on_a_phone() => WithPageAsync(new()
    {
        ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
    }, script: true, async run =>
    {
        await CorePathAsync(run);
        // Every page of the path fits the width, and every button and form field is at least 44 px tall.
        foreach (var url in new[] { "", "search?q=breaking", "history", "watchlist", "stats", "settings" })
        {
            await run.Page.GotoAsync(url);
            await run.IdleAsync();
            Assert.True(await run.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"/{url} scrolls sideways at 360 px");
            var small = await run.Page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('main button, main input:not([type=hidden]):not([type=checkbox]), main select, main a.button')]
                      .filter(e => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().height < 44)
                      .map(e => e.outerHTML.slice(0, 80))
                """);
            Assert.True(small.Length == 0, $"/{url}: targets under 44 px: {string.Join(" | ", small)}");
        }
    });

    [Fact]
    public Task A_title_named_like_a_script_is_shown_as_text() => WithPageAsync(new(), script: true, async run =>
    {
        var page = run.Page;
        await page.GotoAsync("signup");
        await run.IdleAsync();
        await page.GetByLabel("First name").FillAsync("Eve");
        await page.GetByLabel("Email").FillAsync(NewEmail());
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("correct horse battery staple");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Welcome");
        await run.IdleAsync();
        await page.GotoAsync("search?q=script+alert");
        await run.IdleAsync();
        var link = page.Locator("#results .card h3 a").First;
        await Expect(link).ToHaveTextAsync(BrowserApp.XssTitle);
        await link.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(BrowserApp.XssTitle + " (2024)");
        await run.IdleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check in" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync($"Checked in {BrowserApp.XssTitle}.");
        await run.IdleAsync();
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(page.Locator("main ul.list a").First).ToHaveTextAsync(BrowserApp.XssTitle);
        Assert.Equal(0, await page.Locator("main script").CountAsync());   // and the WithPage handler saw no alert dialog
    });
}
