using System.Net;
using System.Text;

namespace Watchlog.Tests.Tracking;

public class RatingTests
{
    [EachDatabase]
    public async Task A_title_has_one_rating_per_user_that_can_be_replaced_and_removed(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var url = $"/api/titles/{lib.Heat}/rating";

        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync(url), HttpStatusCode.NotFound);
        var put = await ann.SendAsync(HttpMethod.Put, url, new { rating = 9 });
        var rated = await WatchlogApp.ExpectAsync(put, HttpStatusCode.OK);
        TrackingData.AssertPrivate(put);
        Assert.Equal((lib.Heat, 9), (rated.GetProperty("title_id").GetInt64(), rated.GetProperty("rating").GetInt32()));
        Assert.Equal(TrackingData.Now.UtcDateTime, rated.GetProperty("rated_at").GetDateTime().ToUniversalTime());

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, url, new { rating = 3 }), HttpStatusCode.OK);
        Assert.Equal(3, (await ann.GetOkAsync(url)).GetProperty("rating").GetInt32());
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, $"/api/titles/{lib.Severance}/rating", new { rating = 10 }), HttpStatusCode.OK);

        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Delete, url), HttpStatusCode.NoContent);
        await WatchlogApp.ExpectProblemAsync(await ann.SendAsync(HttpMethod.Delete, url), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync(url), HttpStatusCode.NotFound);
        Assert.Equal(10, (await ann.GetOkAsync($"/api/titles/{lib.Severance}/rating")).GetProperty("rating").GetInt32());
    }

    [EachDatabase]
    public async Task Ratings_outside_1_to_10_and_unknown_titles_are_refused(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var url = $"/api/titles/{lib.Heat}/rating";

        foreach (var body in new object[] { new { }, new { rating = 0 }, new { rating = 11 }, new { rating = 4.5 }, new { rating = "good" }, new { rating = (int?)null } })
            await WatchlogApp.ExpectFieldErrorAsync(await ann.SendAsync(HttpMethod.Put, url, body), "rating");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.PutAsync(url, new StringContent("[1,", Encoding.UTF8, "application/json")), "body");
        await WatchlogApp.ExpectProblemAsync(await ann.SendAsync(HttpMethod.Put, "/api/titles/999999/rating", new { rating = 5 }), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await ann.Client.GetAsync(url), HttpStatusCode.NotFound);
    }

    [EachDatabase]
    public async Task Another_users_rating_can_be_neither_read_nor_changed_nor_deleted(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var lib = await TrackingData.SeedAsync(test);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com");
        var url = $"/api/titles/{lib.Heat}/rating";
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, url, new { rating = 9 }), HttpStatusCode.OK);

        await WatchlogApp.ExpectProblemAsync(await bob.Client.GetAsync(url), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await bob.SendAsync(HttpMethod.Delete, url), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectAsync(await bob.SendAsync(HttpMethod.Put, url, new { rating = 2 }), HttpStatusCode.OK); // Bob's own

        Assert.Equal(9, (await ann.GetOkAsync(url)).GetProperty("rating").GetInt32());
        Assert.Equal(2, (await bob.GetOkAsync(url)).GetProperty("rating").GetInt32());
    }
}
