using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchlog.Web.Components;

namespace Watchlog.Tests.Web;

/// <summary>The shared components rendered alone with <see cref="HtmlRenderer"/> and read back with AngleSharp.</summary>
public class ComponentTests
{
    static async Task<AngleSharp.Html.Dom.IHtmlDocument> RenderAsync<T>(Dictionary<string, object?> parameters) where T : IComponent
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return new HtmlParser().ParseDocument(html);
    }

    [Fact]
    public async Task A_poster_keeps_its_box_and_loads_lazily_or_shows_initials()
    {
        var withImage = await RenderAsync<Poster>(new() { ["Title"] = "Heat", ["Url"] = "https://image.tmdb.org/t/p/w342/x.jpg" });
        var img = withImage.QuerySelector(".poster img")!;
        Assert.Equal(("lazy", "72", "108", ""), (img.GetAttribute("loading"), img.GetAttribute("width"), img.GetAttribute("height"), img.GetAttribute("alt")));
        Assert.Equal("true", withImage.QuerySelector(".poster")!.GetAttribute("aria-hidden"));

        var without = await RenderAsync<Poster>(new() { ["Title"] = "the <b>wire</b> & co", ["Large"] = true });
        Assert.Null(without.QuerySelector("img"));
        Assert.Equal("poster large", without.QuerySelector("div")!.ClassName);
        Assert.Equal("TC", without.QuerySelector(".poster")!.TextContent.Trim());   // words that start with a letter or digit
        Assert.Null(without.QuerySelector("b"));
    }

    [Fact]
    public async Task A_progress_meter_caps_at_the_total_and_says_the_numbers()
    {
        var doc = await RenderAsync<ProgressMeter>(new() { ["Done"] = 7, ["Total"] = 5, ["Label"] = "Season 1" });
        var progress = doc.QuerySelector("progress")!;
        Assert.Equal(("5", "5", "Season 1"), (progress.GetAttribute("value"), progress.GetAttribute("max"), progress.GetAttribute("aria-label")));
        Assert.Equal("7 / 5", doc.QuerySelector(".muted")!.TextContent);
        var none = await RenderAsync<ProgressMeter>(new() { ["Done"] = 0, ["Total"] = 0 });
        Assert.Equal("1", none.QuerySelector("progress")!.GetAttribute("max"));
    }

    [Fact]
    public async Task A_bar_chart_draws_bars_to_scale_with_a_table_for_screen_readers()
    {
        var items = new List<BarChart.Item> { new("Jan", 120, "120 min", "2h"), new("Feb", 0, "0 min", "0m"), new("Mar", 60, "60 min", "1h") };
        var doc = await RenderAsync<BarChart>(new() { ["Items"] = items, ["Caption"] = "Minutes per month", ["Unit"] = "Minutes" });
        var bars = doc.QuerySelectorAll("svg rect.bar").Select(r => int.Parse(r.GetAttribute("height")!)).ToArray();
        Assert.Equal(3, bars.Length);
        Assert.Equal(0, bars[1]);
        Assert.Equal(bars[0], bars[2] * 2);
        Assert.Equal("true", doc.QuerySelector("svg")!.GetAttribute("aria-hidden"));
        Assert.Empty(doc.QuerySelectorAll("[style]"));
        var rows = doc.QuerySelectorAll("table tbody tr").Select(r => (r.QuerySelector("th")!.TextContent, r.QuerySelector("td")!.TextContent)).ToArray();
        Assert.Equal([("Jan", "120 min"), ("Feb", "0 min"), ("Mar", "60 min")], rows);
        Assert.Equal("Minutes per month", doc.QuerySelector("caption")!.TextContent);

        var horizontal = await RenderAsync<BarChart>(new() { ["Items"] = items.Take(1).Append(new("Sci-Fi & <Fantasy>", 30, "30 min", "30m")).ToList(), ["Horizontal"] = true });
        Assert.Contains("Sci-Fi & <Fantasy>", horizontal.QuerySelector("svg")!.TextContent);
        var empty = await RenderAsync<BarChart>(new() { ["Items"] = new List<BarChart.Item>(), ["Empty"] = "Nothing yet." });
        Assert.Null(empty.QuerySelector("svg"));
        Assert.Equal("Nothing yet.", empty.QuerySelector("p")!.TextContent);
    }
}
