using System.Net;
using Watchlog.Catalog;

namespace Watchlog.Tests.Catalog;

public class TitleEndpointTests
{
    static async Task<long> SeedAsync(TestDb test)
    {
        var series = Make.Series("bb", "Breaking Bad", 2008, (1, 7), (2, 13));
        series.Network = "AMC";
        series.Genres = ["Drama", "Crime"];
        series.ExternalIds = new ExternalIds { Imdb = "tt0903747", Tmdb = 1396, Tvdb = 81189 };
        series.People = [new PersonEntry { Name = "Vince Gilligan", Role = "creator" }, new PersonEntry { Name = "Bryan Cranston", Character = "Walter White" }];
        series.Platforms = [new PlatformEntry { Name = "Netflix", Region = "US" }, new PlatformEntry { Name = "Netflix", Region = "GB", ExpiresOn = new DateOnly(2027, 1, 31) }];
        series.Seasons![0].Episodes![0].AirDate = new DateOnly(2008, 1, 20);
        series.Seasons![0].Episodes![0].RuntimeMin = 58;
        var results = await new CatalogWriter(test.Db, TimeProvider.System).Begin("jsonl").WriteAsync(Make.Lines(series), CancellationToken.None);
        return results[0].TitleId;
    }

    [EachDatabase]
    public async Task A_title_answers_with_genres_credits_seasons_ids_and_availability(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var id = await SeedAsync(test);
        await using var app = new WatchlogApp(test);

        var title = await app.GetJsonAsync($"/api/titles/{id}");

        Assert.Equal("Breaking Bad", title.GetProperty("title").GetString());
        Assert.Equal("series", title.GetProperty("kind").GetString());
        Assert.Equal(["Crime", "Drama"], title.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(1396, title.GetProperty("external_ids").GetProperty("tmdb").GetInt32());
        Assert.Equal("Walter White", title.GetProperty("credits")[1].GetProperty("character").GetString());
        Assert.Equal([7, 13], title.GetProperty("seasons").EnumerateArray().Select(s => s.GetProperty("episode_count").GetInt32()));
        Assert.Equal("2027-01-31", title.GetProperty("availability").GetProperty("GB")[0].GetProperty("expires_on").GetString());
        Assert.Equal("netflix", title.GetProperty("availability").GetProperty("US")[0].GetProperty("platform").GetString());
    }

    [EachDatabase]
    public async Task A_season_lists_its_episodes(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var id = await SeedAsync(test);
        await using var app = new WatchlogApp(test);

        var season = await app.GetJsonAsync($"/api/titles/{id}/seasons/1");

        Assert.Equal(id, season.GetProperty("title_id").GetInt64());
        Assert.Equal(1, season.GetProperty("number").GetInt32());
        var episodes = season.GetProperty("episodes");
        Assert.Equal(7, episodes.GetArrayLength());
        Assert.Equal("2008-01-20", episodes[0].GetProperty("air_date").GetString());
        Assert.Equal(58, episodes[0].GetProperty("runtime_min").GetInt32());
        Assert.True(episodes[0].GetProperty("id").GetInt64() > 0);
    }

    [EachDatabase]
    public async Task A_person_lists_their_filmography(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var id = await SeedAsync(test);
        await using var app = new WatchlogApp(test);
        var title = await app.GetJsonAsync($"/api/titles/{id}");
        var personId = title.GetProperty("credits")[1].GetProperty("person_id").GetInt64();

        var person = await app.GetJsonAsync($"/api/people/{personId}");

        Assert.Equal("Bryan Cranston", person.GetProperty("name").GetString());
        var credit = Assert.Single(person.GetProperty("filmography").EnumerateArray());
        Assert.Equal(("Breaking Bad", "actor"), (credit.GetProperty("title").GetString(), credit.GetProperty("role").GetString()));
    }

    [EachDatabase]
    public async Task Unknown_ids_are_404_problem_details(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var id = await SeedAsync(test);
        await using var app = new WatchlogApp(test);
        var client = app.CreateClient();

        foreach (var url in new[] { "/api/titles/999999", $"/api/titles/{id}/seasons/9", "/api/titles/999999/seasons/1", "/api/people/999999" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":404", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/titles/not-a-number")).StatusCode);
    }

    [EachDatabase]
    public async Task Public_reads_carry_an_etag_and_answer_304(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var id = await SeedAsync(test);
        await using var app = new WatchlogApp(test);
        var client = app.CreateClient();

        var first = await client.GetAsync($"/api/titles/{id}");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("public", first.Headers.CacheControl?.ToString());

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/titles/{id}");
        request.Headers.IfNoneMatch.Add(etag);
        var second = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [EachDatabase]
    public async Task The_platform_registry_is_listed_with_aliases(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);

        var platforms = await app.GetJsonAsync("/api/platforms");

        var max = platforms.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("slug").GetString() == "max");
        Assert.Equal("Max", max.GetProperty("name").GetString());
        Assert.Contains("hbomax", max.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKindNull, platforms.GetProperty("next_cursor").ValueKind);
    }

    const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
