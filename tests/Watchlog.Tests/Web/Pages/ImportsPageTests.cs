using System.Net;
using System.Net.Http.Headers;
using Watchlog.Tests.Tracking;

namespace Watchlog.Tests.Web.Pages;

public class ImportsPageTests
{
    [EachDatabase]
    public async Task An_upload_form_starts_an_import_and_a_bad_file_is_refused_with_nothing_stored(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var web = new WebSession(app);
        await web.SignUpAsync();
        var page = await web.GetAsync("imports");
        Assert.Contains("No imports yet", page.QuerySelector("main")!.TextContent);
        var token = page.QuerySelector("form[action='imports/upload'] input[name=__af]")!.GetAttribute("value")!;

        async Task<AngleSharp.Html.Dom.IHtmlDocument> UploadAsync(string format, byte[] file)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__af" },
                { new StringContent(format), "format" },
                { new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "file", "NetflixViewingHistory.csv" },
            };
            var response = await web.Client.PostAsync("imports/upload", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("/imports", response.RequestMessage!.RequestUri!.AbsolutePath);
            return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        }

        var refused = await UploadAsync("netflix-history", "not,a\nnetflix,file\n"u8.ToArray());
        Assert.Contains("flash error", refused.QuerySelector(".flash")!.ClassName);
        Assert.Contains("No imports yet", refused.QuerySelector("main")!.TextContent);

        var csv = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "History", "Fixtures", "NetflixViewingHistory-us.csv"));
        var started = await UploadAsync("netflix-history", csv);
        Assert.StartsWith("Import ", WebSession.Flash(started));
        Assert.Contains("netflix-history", started.QuerySelector("main ul.list")!.TextContent);
    }
}
