using System.Net;
using System.Text;
using System.Text.Json;
using Watchlog.Tests.History;

namespace Watchlog.Tests.Webhooks;

public class WebhookTests
{
    static async Task<string> KeyAsync(WatchlogApp app, SignedIn user) =>
        (await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name = "media server" }, user.Client), HttpStatusCode.Created))
        .GetProperty("key").GetString()!;

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    static MultipartFormDataContent Form(string field, string json)
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(json, Encoding.UTF8, "application/json"), field);
        form.Add(new ByteArrayContent([0xFF, 0xD8, 0xFF]), "thumb", "thumb.jpg");
        return form;
    }

    static async Task<(string Status, long? Id)> PostAsync(HttpClient client, string url, HttpContent content)
    {
        var answer = await WatchlogApp.ExpectAsync(await client.PostAsync(url, content), HttpStatusCode.OK);
        var id = answer.GetProperty("checkin_id");
        return (answer.GetProperty("status").GetString()!, id.ValueKind == JsonValueKind.Null ? null : id.GetInt64());
    }

    const string JellyfinStop = """
        {"NotificationType":"PlaybackStop","UtcTimestamp":"2026-11-21T11:47:12.1234567Z","Name":"Grilled","ItemType":"Episode",
         "SeriesName":"Breaking Bad","SeasonNumber":"2","EpisodeNumber":"2","Provider_tvdb":"999999","PlaybackPositionTicks":"100",
         "RunTimeTicks":"34920000000","PlayedToCompletion":"True","NotificationUsername":"alice"}
        """;

    [EachDatabase]
    public async Task Jellyfin_records_a_finished_episode_once_and_ignores_starts_and_unfinished_stops(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: Watchlog.Tests.Tracking.TrackingData.Clock()); // 2026-11-21 12:00Z: the event's own time is recent
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        var client = app.ClientWithApiKey(await KeyAsync(app, ann));

        var (status, id) = await PostAsync(client, "/webhooks/jellyfin", Json(JellyfinStop));
        Assert.Equal("recorded", status);
        Assert.Equal((status, id), await PostAsync(client, "/webhooks/jellyfin", Json(JellyfinStop))); // a repeated delivery
        var history = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/history"), HttpStatusCode.OK);
        var item = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal((id!.Value, c.Ep("bb", 2, 2)), (item.GetProperty("id").GetInt64(), item.GetProperty("episode").GetProperty("id").GetInt64()));
        var watched = item.GetProperty("watched_at").GetDateTime().ToUniversalTime();
        Assert.Equal(new DateTime(2026, 11, 21, 11, 47, 12, DateTimeKind.Utc), watched.AddTicks(-(watched.Ticks % TimeSpan.TicksPerSecond)));

        Assert.Equal(("ignored", (long?)null), await PostAsync(client, "/webhooks/jellyfin", Json(JellyfinStop.Replace("PlaybackStop", "PlaybackStart"))));
        Assert.Equal(("ignored", (long?)null), await PostAsync(client, "/webhooks/jellyfin",
            Json(JellyfinStop.Replace("\"True\"", "\"False\"").Replace("\"SeasonNumber\":\"2\"", "\"SeasonNumber\":\"1\""))));
        // The 80 % rule without the flag, native JSON types.
        Assert.Equal("recorded", (await PostAsync(client, "/webhooks/jellyfin", Json("""
            {"NotificationType":"PlaybackStop","Name":"Heat","ItemType":"Movie","Year":1995,"Provider_imdb":"tt0113277",
             "PlaybackPositionTicks":8000,"RunTimeTicks":10000,"PlayedToCompletion":false}
            """))).Status);
        Assert.Equal(2, await HistoryData.CountAsync(test, "checkins", ann.UserId));
    }

    [EachDatabase]
    public async Task Plex_multipart_scrobble_then_stop_makes_one_check_in_and_unknown_items_go_to_review(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        var key = await KeyAsync(app, ann);
        var client = app.CreateClient();
        var url = $"/webhooks/plex?key={key}";

        const string scrobble = """
            {"event":"media.scrobble","user":true,"owner":true,"Account":{"id":1,"title":"alice"},
             "Metadata":{"type":"movie","title":"Dune","year":2021,"guid":"plex://movie/5d776","Guid":[{"id":"imdb://tt1160419"},{"id":"tmdb://438631"}],
             "duration":9000000,"viewOffset":8100000}}
            """;
        var (status, id) = await PostAsync(client, url, Form("payload", scrobble));
        Assert.Equal("recorded", status);
        Assert.Equal(("recorded", id), await PostAsync(client, url, Form("payload", scrobble.Replace("media.scrobble", "media.stop"))));
        Assert.Equal(("ignored", (long?)null), await PostAsync(client, url, Form("payload", scrobble.Replace("media.scrobble", "media.pause"))));
        Assert.Equal(1, await HistoryData.CountAsync(test, "checkins", ann.UserId));

        // Relayed (numbers as strings), an episode by show + season + number.
        Assert.Equal("recorded", (await PostAsync(client, url, Json("""
            {"event":"media.scrobble","Metadata":{"type":"episode","grandparentTitle":"The Queen's Gambit","parentIndex":"1","index":"2","title":"Exchanges"}}
            """))).Status);

        var unknown = """{"event":"media.scrobble","Metadata":{"type":"episode","grandparentTitle":"No Such Show","parentIndex":1,"index":3,"title":"Three"}}""";
        Assert.Equal(("review", (long?)null), await PostAsync(client, url, Form("payload", unknown)));
        Assert.Equal(("review", (long?)null), await PostAsync(client, url, Form("payload", unknown)));
        var imports = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/imports"), HttpStatusCode.OK);
        var inbox = Assert.Single(imports.GetProperty("items").EnumerateArray());
        Assert.Equal(("webhook-plex", 1), (inbox.GetProperty("format").GetString(), inbox.GetProperty("needs_review").GetInt32()));
        var review = Assert.Single(await ann.RowsAsync(inbox.GetProperty("id").GetInt64(), "review"));
        Assert.Equal(("No Such Show", 1, 3), (review.GetProperty("parsed").GetProperty("title").GetString(),
            review.GetProperty("parsed").GetProperty("season").GetInt32(), review.GetProperty("parsed").GetProperty("episode").GetInt32()));
        Assert.Equal(2, await HistoryData.CountAsync(test, "checkins", ann.UserId));
    }

    [EachDatabase]
    public async Task Emby_json_and_multipart_record_and_bad_keys_or_payloads_write_nothing(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        var client = app.ClientWithApiKey(await KeyAsync(app, ann));

        const string stop = """
            {"Title":"alice has finished playing Kill Bill","Date":"2026-03-09T21:00:00.0000000Z","Event":"playback.stop",
             "User":{"Name":"alice","Id":"1"},"Item":{"Name":"Kill Bill: Vol. 1","Id":"77","Type":"Movie","ProductionYear":2003,"RunTimeTicks":66600000000,
             "ProviderIds":{"Imdb":"tt0266697"}},"PlaybackInfo":{"PlayedToCompletion":true,"PositionTicks":66000000000}}
            """;
        var (status, id) = await PostAsync(client, "/webhooks/emby", Json(stop));
        Assert.Equal("recorded", status);
        Assert.Equal(("recorded", id), await PostAsync(client, "/webhooks/emby", Form("data", stop)));
        Assert.Equal("recorded", (await PostAsync(client, "/webhooks/emby", Form("data", """
            {"Event":"item.markplayed","Item":{"Name":"Lies","Type":"Episode","SeriesName":"Dark","ParentIndexNumber":1,"IndexNumber":2}}
            """))).Status);
        Assert.Equal(("ignored", (long?)null), await PostAsync(client, "/webhooks/emby", Json(stop.Replace("playback.stop", "playback.start"))));

        await WatchlogApp.ExpectProblemAsync(await app.ClientWithApiKey("wl_" + new string('A', 43)).PostAsync("/webhooks/emby", Json(stop)), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().PostAsync("/webhooks/plex", Form("payload", stop)), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectFieldErrorAsync(await client.PostAsync("/webhooks/emby", Json("{not json")), "payload");
        await WatchlogApp.ExpectFieldErrorAsync(await client.PostAsync("/webhooks/plex", Form("other", "{}")), "payload");
        await WatchlogApp.ExpectFieldErrorAsync(await client.PostAsync("/webhooks/jellyfin", Json("""{"Name":"x"}""")), "payload");
        await WatchlogApp.ExpectFieldErrorAsync(await client.PostAsync("/webhooks/plex", Json("""{"event":"media.scrobble"}""")), "payload");
        Assert.Equal(2, await HistoryData.CountAsync(test, "checkins", ann.UserId));
        Assert.Equal(0, await HistoryData.CountAsync(test, "history_imports", ann.UserId));
    }
}
