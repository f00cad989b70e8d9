using System.Net;

namespace Watchlog.Tests.Accounts;

public class ApiKeyTests
{
    static async Task<(long Id, string Key)> CreateKeyAsync(WatchlogApp app, SignedIn user, string name)
    {
        var created = await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name }, user.Client), HttpStatusCode.Created);
        return (created.GetProperty("id").GetInt64(), created.GetProperty("key").GetString()!);
    }

    [EachDatabase]
    public async Task A_key_is_shown_once_listed_without_its_secret_and_works_as_header_or_query(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");

        var created = await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name = " Plex webhook " }, ann.Client), HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("wl_", key);
        Assert.Equal("Plex webhook", created.GetProperty("name").GetString());
        Assert.Equal(key[..11], created.GetProperty("prefix").GetString());

        var listResponse = await ann.Client.GetAsync("/api/me/keys");
        var list = await WatchlogApp.ExpectAsync(listResponse, HttpStatusCode.OK);
        Assert.DoesNotContain(key, await listResponse.Content.ReadAsStringAsync());
        Assert.Contains("no-store", listResponse.Headers.CacheControl?.ToString());
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("Plex webhook", key[..11]), (item.GetProperty("name").GetString(), item.GetProperty("prefix").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("last_used_at").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, list.GetProperty("next_cursor").ValueKind);

        var byHeader = await WatchlogApp.ExpectAsync(await app.ClientWithApiKey(key).GetAsync("/auth/me"), HttpStatusCode.OK);
        Assert.Equal(ann.UserId, byHeader.GetProperty("id").GetInt64());
        await WatchlogApp.ExpectAsync(await app.CreateClient().GetAsync($"/auth/me?key={key}"), HttpStatusCode.OK);
        await WatchlogApp.ExpectProblemAsync(await app.ClientWithApiKey("wl_" + new string('A', 43)).GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await app.ClientWithApiKey(key).PostAsync("/auth/logout", null), HttpStatusCode.BadRequest);

        var after = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/me/keys"), HttpStatusCode.OK);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, after.GetProperty("items")[0].GetProperty("last_used_at").ValueKind);
    }

    [EachDatabase]
    public async Task A_deleted_key_stops_working_and_other_peoples_keys_are_404(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var bob = await app.SignUpAsync("bob@example.com");
        var (annKeyId, annKey) = await CreateKeyAsync(app, ann, "scripts");
        var (bobKeyId, bobKey) = await CreateKeyAsync(app, bob, "bob's");

        await WatchlogApp.ExpectProblemAsync(await ann.Client.DeleteAsync($"/api/me/keys/{bobKeyId}"), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectAsync(await app.ClientWithApiKey(bobKey).GetAsync("/auth/me"), HttpStatusCode.OK);
        var annList = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/me/keys"), HttpStatusCode.OK);
        Assert.Equal([annKeyId], annList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        await WatchlogApp.ExpectAsync(await ann.Client.DeleteAsync($"/api/me/keys/{annKeyId}"), HttpStatusCode.NoContent);
        await WatchlogApp.ExpectProblemAsync(await app.ClientWithApiKey(annKey).GetAsync("/auth/me"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await ann.Client.DeleteAsync($"/api/me/keys/{annKeyId}"), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().DeleteAsync($"/api/me/keys/{bobKeyId}"), HttpStatusCode.Unauthorized);
    }

    [EachDatabase]
    public async Task Keys_are_listed_newest_first_a_page_at_a_time_and_need_a_name(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync("ann@example.com");
        var ids = new List<long>();
        foreach (var name in new[] { "one", "two", "three" }) ids.Add((await CreateKeyAsync(app, ann, name)).Id);

        var first = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/me/keys?limit=2"), HttpStatusCode.OK);
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync($"/api/me/keys?limit=2&cursor={cursor}"), HttpStatusCode.OK);

        Assert.Equal(["three", "two"], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["one"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/me/keys?limit=0"), "limit");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/me/keys?cursor=abc"), "cursor");
        await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name = "  " }, ann.Client), "name");
        await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/me/keys", new { name = new string('k', 101) }, ann.Client), "name");
    }
}
