using System.Net;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using static Watchlog.Tests.Search.SearchFixture;

namespace Watchlog.Tests.Search;

/// <summary>The /api/search and /feed contracts: fields, filters, validation, caching headers, hostile input.</summary>
public class SearchApiTests
{
    static async Task<(TestDb Test, WatchlogApp App, Dictionary<string, long> Ids)> StartAsync(Engine engine)
    {
        var test = await TestDb.CreateAsync(engine);
        var ids = await SeedAsync(test);
        return (test, new WatchlogApp(test), ids);
    }

    [EachDatabase]
    public async Task Search_answers_the_paged_shape_with_filters(Engine engine)
    {
        var (test, app, ids) = await StartAsync(engine);
        await using var _ = test;
        await using var __ = app;

        var page = await app.GetJsonAsync("/api/search?q=breaking");
        Assert.Equal("breaking", page.GetProperty("query").GetString());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("page_size").GetInt32());
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var bb = page.GetProperty("results")[0];
        Assert.Equal(ids["breaking-bad"], bb.GetProperty("id").GetInt64());
        Assert.Equal("series", bb.GetProperty("type").GetString());
        Assert.Equal(2008, bb.GetProperty("year").GetInt32());
        Assert.Equal(47, bb.GetProperty("runtime_min").GetInt32());
        Assert.Equal(["Crime", "Drama"], bb.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["Netflix"], bb.GetProperty("platforms").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(JsonValueKind.Null, bb.GetProperty("poster").ValueKind);

        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&type=series")));
        Assert.Equal([ids["breaking-away"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&type=movie")));
        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&genre=Crime")));
        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&genre=crime")));
        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&platform=netflix")));
        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&platform=Netflix")));
        Assert.Equal([ids["breaking-away"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&year_to=1990")));
        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&year_from=2000&year_to=2010")));
        Assert.Equal([ids["breaking-bad"]], Ids(await app.GetJsonAsync("/api/search?q=breaking&runtime_max=60")));
        Assert.Empty(Ids(await app.GetJsonAsync("/api/search?q=breaking&region=FR")));
        Assert.Equal("https://image.tmdb.org/t/p/w342/amelie.jpg",
            (await app.GetJsonAsync("/api/search?q=amelie")).GetProperty("results")[0].GetProperty("poster").GetString());

        var first = await app.GetJsonAsync("/api/search?q=dune&page_size=2");
        var second = await app.GetJsonAsync("/api/search?q=dune&page_size=2&page=2");
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([ids["dune-2021"], ids["dune-1984"]], Ids(first));
        Assert.Equal([ids["dune-2000"]], Ids(second));
    }

    [EachDatabase]
    public async Task Feed_answers_the_public_contract(Engine engine)
    {
        var (test, app, ids) = await StartAsync(engine);
        await using var _ = test;
        await using var __ = app;

        var feed = await app.GetJsonAsync("/feed?q=breaking%20bad");
        Assert.Equal("breaking bad", feed.GetProperty("query").GetString());
        Assert.Equal("US", feed.GetProperty("region").GetString());
        Assert.Equal(feed.GetProperty("results").GetArrayLength(), feed.GetProperty("count").GetInt32());
        var bb = feed.GetProperty("results")[0];
        Assert.Equal(ids["breaking-bad"], bb.GetProperty("id").GetInt64());
        Assert.Equal("Breaking Bad", bb.GetProperty("title").GetString());
        Assert.Equal("AMC", bb.GetProperty("channel").GetString());
        Assert.Equal(47 * 60, bb.GetProperty("duration_seconds").GetInt32());
        Assert.Equal("", bb.GetProperty("thumbnail").GetString());
        Assert.Equal("US", bb.GetProperty("region").GetString());
        Assert.True(bb.GetProperty("score").GetDouble() > 0);

        // Region: FR-only Amélie is not in the US feed; a title without region information is everywhere, as GLOBAL.
        Assert.Empty(Ids(await app.GetJsonAsync("/feed?q=amelie&region=US")));
        var fr = (await app.GetJsonAsync("/feed?q=amelie&region=fr")).GetProperty("results")[0];
        Assert.Equal(("FR", 6000), (fr.GetProperty("region").GetString(), fr.GetProperty("duration_seconds").GetInt32()));
        var nowhere = (await app.GetJsonAsync("/feed?q=nowhere&region=JP")).GetProperty("results")[0];
        Assert.Equal(("GLOBAL", "https://img.example/nowhere.jpg"), (nowhere.GetProperty("region").GetString(), nowhere.GetProperty("thumbnail").GetString()));
        // No network: the first platform in the requested region.
        Assert.Equal("BBC iPlayer", (await app.GetJsonAsync("/feed?q=platform%20only&region=GB")).GetProperty("results")[0].GetProperty("channel").GetString());
        Assert.Equal("Netflix", (await app.GetJsonAsync("/feed?q=platform%20only&region=US")).GetProperty("results")[0].GetProperty("channel").GetString());
        // A series without its own runtime: a typical (median) episode.
        Assert.Equal(42 * 60, (await app.GetJsonAsync("/feed?q=episodic")).GetProperty("results")[0].GetProperty("duration_seconds").GetInt32());
        // limit
        Assert.Equal(1, (await app.GetJsonAsync("/feed?q=dune&limit=1")).GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("Watchlog:Search:CacheMegabytes", "lots", "Watchlog:Search:CacheMegabytes must be a whole number of megabytes (0 turns the cache off), not 'lots'.")]
    [InlineData("Watchlog:Search:CacheMegabytes", "-1", "Watchlog:Search:CacheMegabytes must be a whole number of megabytes (0 turns the cache off), not '-1'.")]
    [InlineData("Watchlog:Search:MemoryIndex", "maybe", "Watchlog:Search:MemoryIndex must be true or false, not 'maybe'.")]
    public async Task A_wrong_search_setting_stops_the_start_with_one_clear_message(string key, string value, string message)
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var app = new WatchlogApp(test, s => s[key] = value);
        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Equal(message, e.GetBaseException().Message);
    }

    [EachDatabase]
    public async Task An_answer_is_cached_by_its_weight_and_a_hit_adds_nothing(Engine engine)
    {
        var (test, app, _) = await StartAsync(engine);
        await using var _t = test;
        await using var _a = app;
        var cache = app.Services.GetRequiredService<Watchlog.Search.ResultCache>();
        Assert.Equal(0, cache.Bytes);

        var first = await app.GetJsonAsync("/feed?q=dune");
        var body = System.Text.Encoding.UTF8.GetByteCount(first.GetRawText());
        Assert.InRange(cache.Bytes, body + Watchlog.Search.ResultCache.EntryOverhead, body + Watchlog.Search.ResultCache.EntryOverhead + 400);   // and its key and ETag
        var held = cache.Bytes;
        Assert.Equal(first.GetRawText(), (await app.GetJsonAsync("/feed?q=dune")).GetRawText());
        Assert.Equal(held, cache.Bytes);   // a hit adds nothing
        await app.GetJsonAsync("/feed?q=breaking");
        Assert.True(cache.Bytes > held);
    }

    [EachDatabase]
    public async Task Feed_carries_caching_headers_and_answers_304_to_its_etag(Engine engine)
    {
        var (test, app, _) = await StartAsync(engine);
        await using var _t = test;
        await using var _a = app;
        var client = app.CreateClient();

        foreach (var pass in new[] { "computed", "cached" })
        {
            var response = await client.GetAsync("/feed?q=dune&region=US&limit=24");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=300, stale-while-revalidate=3600", response.Headers.CacheControl!.ToString());
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var etag = response.Headers.ETag!.Tag;

            using var conditional = new HttpRequestMessage(HttpMethod.Get, "/feed?q=dune&region=US&limit=24");
            conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
            var notModified = await client.SendAsync(conditional);
            Assert.True(notModified.StatusCode == HttpStatusCode.NotModified, pass);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

            using var other = new HttpRequestMessage(HttpMethod.Get, "/feed?q=dune&region=US&limit=24");
            other.Headers.TryAddWithoutValidation("If-None-Match", "\"something-else\"");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(other)).StatusCode);
        }
        var search = await client.GetAsync("/api/search?q=dune");
        Assert.NotNull(search.Headers.ETag);
        // Two spellings of one query are answered apart: each answer echoes its own q.
        Assert.Equal("DUNE!", (await app.GetJsonAsync("/feed?q=DUNE!")).GetProperty("query").GetString());
        Assert.Equal("dune", (await app.GetJsonAsync("/feed?q=dune")).GetProperty("query").GetString());
    }

    static readonly (string Url, string Field)[] Invalid =
    [
        ("/feed", "q"),
        ("/feed?q=", "q"),
        ("/feed?q=" + new string('a', 121), "q"),
        ("/feed?q=" + new string('x', 10_000), "q"),
        ("/feed?q=dune&region=USA", "region"),
        ("/feed?q=dune&region=1A", "region"),
        ("/feed?q=dune&region=", "region"),
        ("/feed?q=dune&limit=0", "limit"),
        ("/feed?q=dune&limit=101", "limit"),
        ("/feed?q=dune&limit=ten", "limit"),
        ("/feed?q=dune&limit=1.5", "limit"),
        ("/api/search", "q"),
        ("/api/search?q=" + new string('a', 121), "q"),
        ("/api/search?q=dune&type=tv", "type"),
        ("/api/search?q=dune&page=0", "page"),
        ("/api/search?q=dune&page=x", "page"),
        ("/api/search?q=dune&page_size=0", "page_size"),
        ("/api/search?q=dune&page_size=101", "page_size"),
        ("/api/search?q=dune&page=11&page_size=100", "page"),
        ("/api/search?q=dune&year_from=abc", "year_from"),
        ("/api/search?q=dune&year_from=2020&year_to=2010", "year_to"),
        ("/api/search?q=dune&runtime_max=0", "runtime_max"),
        ("/api/search?q=dune&region=usa", "region"),
        ("/api/search?q=dune&genre=not-a-genre", "genre"),
        ("/api/search?q=dune&platform=not-a-platform", "platform"),
    ];

    [EachDatabase]
    public async Task Invalid_parameters_are_400_problems_naming_the_field(Engine engine)
    {
        var (test, app, _) = await StartAsync(engine);
        await using var _t = test;
        await using var _a = app;
        var client = app.CreateClient();
        foreach (var (url, field) in Invalid)
        {
            var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{url}: {body}");
        }
    }

    public static readonly string[] Hostile =
    [
        "\"", "\"\"", "'", "''", "\"dune", "dune\"", "dune*", "*", "**", "^dune", "^", "NEAR(dune breaking)", "NEAR(", "near(a b, 2)",
        "dune AND", "AND", "OR", "NOT", "dune OR breaking", "dune NOT bad", "-dune", "+dune", "(", ")", "((dune", "{title}: dune",
        "title:dune", "title:", "x-men:", ":", "a:b:c", "{", "}", "[", "]", "\\", "\\\"", "%", "_", "%25", "dune; DROP TABLE titles; --",
        "' OR 1=1 --", "\u0000", "dune\u0000bad", "\u0001\u0002\u0007", "\t\n\r", "   ", "🎬", "🎬🍿 dune", "👨‍👩‍👧", "ﷺ", "\u200b", "\u202edune",
        "ǃ", "ªº", "日本", "ドラマ", "Ω", "ß", "İstanbul", "a:*", "'a':*A", "!", "&", "|", "<->", "dune <-> bad", "dune & bad | x", "!dune",
        "$1", "@q", "?", "\ud83d", "dune 2021 2022 1999 series movie", "1984", "2021", "0", "00000000000000000000",
        string.Join(' ', Enumerable.Repeat("dune", 24)), new string('a', 120), new string('é', 120),
    ];

    [EachDatabase]
    public async Task Hostile_input_never_fails(Engine engine)
    {
        var (test, app, _) = await StartAsync(engine);
        await using var _t = test;
        await using var _a = app;
        var client = app.CreateClient();

        foreach (var q in Hostile)
            foreach (var path in new[] { "/feed?region=US&q=", "/api/search?q=" })
            {
                var response = await client.GetAsync(path + Uri.EscapeDataString(q));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}{q}: {(int)response.StatusCode} {body}");
                using var json = JsonDocument.Parse(body);
                Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("results").ValueKind);
            }
        // Raw bytes that are not UTF-8 and a query far over the limit are refused, not failed.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/feed?q=%FF%FE%ED%A0%80")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/feed?q=" + new string('q', 10_240))).StatusCode);
    }
}
