using System.IO.Compression;
using System.Net;
using System.Text.Json;

namespace Watchlog.Tests.History;

public class FormatTests
{
    static byte[] Zip(string folder, string? prefix = null)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var entry = zip.CreateEntry((prefix ?? "") + Path.GetRelativePath(folder, path).Replace('\\', '/'));
                using var s = entry.Open();
                s.Write(File.ReadAllBytes(path));
            }
        return ms.ToArray();
    }

    static async Task<(JsonElement Status, List<JsonElement> Rows)> RunAsync(SignedIn user, string format, byte[] bytes, string name, string? profile = null)
    {
        var status = await user.ImportAsync(format, bytes, name, profile);
        Assert.Equal("done", status.GetProperty("status").GetString());
        return (status, await user.RowsAsync(status.GetProperty("id").GetInt64()));
    }

    static (string File, int Line) Key(JsonElement r) => (r.GetProperty("file").GetString()!, r.GetProperty("line").GetInt32());

    static Dictionary<(string, int), (long, long?)> MatchedByFile(IEnumerable<JsonElement> rows) => rows
        .Where(r => r.GetProperty("status").GetString() == "matched")
        .ToDictionary(Key, r => (r.GetProperty("match").GetProperty("title_id").GetInt64(),
            r.GetProperty("match").GetProperty("episode_id").ValueKind == JsonValueKind.Null ? (long?)null : r.GetProperty("match").GetProperty("episode_id").GetInt64()));

    static Dictionary<(string, int), string> Statuses(IEnumerable<JsonElement> rows) => rows.ToDictionary(Key, r => r.GetProperty("status").GetString()!);

    static async Task<int?> RatingAsync(SignedIn user, long titleId)
    {
        var response = await user.Client.GetAsync($"/api/titles/{titleId}/rating");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return (await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("rating").GetInt32();
    }

    [EachDatabase]
    public async Task Letterboxd_zip_imports_diary_rewatches_watched_ratings_and_watchlist_and_ignores_deleted(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        var (status, rows) = await RunAsync(ann, "letterboxd", Zip(HistoryData.Fixture("letterboxd"), "letterboxd-ann-2024-05-02-10-00-utc/"), "letterboxd.zip");

        Assert.Equal(new Dictionary<(string, int), (long, long?)>
        {
            [("diary.csv", 2)] = (c["crouching"], null),
            [("diary.csv", 3)] = (c["crouching"], null),
            [("diary.csv", 4)] = (c["dune2021"], null),
            [("diary.csv", 5)] = (c["dune1984"], null),
            [("watched.csv", 3)] = (c["heat"], null),
            [("ratings.csv", 2)] = (c["crouching"], null),
            [("watchlist.csv", 2)] = (c["amelie"], null),
        }.OrderBy(k => k.Key), MatchedByFile(rows).OrderBy(k => k.Key));
        var s = Statuses(rows);
        Assert.Equal("skipped", s[("diary.csv", 6)]);   // a rating of 7 stars
        Assert.Equal("skipped", s[("watched.csv", 2)]); // in the diary already
        Assert.Equal("review", s[("watched.csv", 4)]);  // not in the catalog
        Assert.Equal(10, rows.Count);                    // deleted/diary.csv is not read
        Assert.Equal((7, 1, 2), (status.GetProperty("matched").GetInt32(), status.GetProperty("needs_review").GetInt32(), status.GetProperty("skipped").GetInt32()));
        Assert.Equal(5, await HistoryData.CountAsync(test, "checkins", ann.UserId));
        Assert.Equal(1, await RatingAsync(ann, c["crouching"]));   // 0.5 stars → 1
        Assert.Equal(1, await HistoryData.CountAsync(test, "watchlist", ann.UserId));
        var diaryRating = rows.Single(r => Key(r) == ("diary.csv", 2)).GetProperty("parsed");
        Assert.Equal((9, new DateTime(2024, 3, 9)), (diaryRating.GetProperty("rating").GetInt32(), diaryRating.GetProperty("watched_at").GetDateTime().ToUniversalTime().Date));

        var again = await ann.ImportAsync("letterboxd", Zip(HistoryData.Fixture("letterboxd")), "letterboxd.zip");
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.Equal(5, await HistoryData.CountAsync(test, "checkins", ann.UserId));
    }

    [EachDatabase]
    public async Task IMDb_ratings_in_both_headers_rate_films_and_series_and_check_in_rated_episodes(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();

        var (status, rows) = await RunAsync(ann, "imdb-ratings", await File.ReadAllBytesAsync(HistoryData.Fixture("imdb-ratings-current.csv")), "ratings.csv");
        Assert.Equal(new Dictionary<(string, int), (long, long?)>
        {
            [("ratings.csv", 2)] = (c["amelie"], null),
            [("ratings.csv", 3)] = (c["bb"], null),
            [("ratings.csv", 4)] = (c["bb"], c.Ep("bb", 1, 1)),
        }.OrderBy(k => k.Key), MatchedByFile(rows).OrderBy(k => k.Key));
        Assert.Equal((3, 2), (status.GetProperty("matched").GetInt32(), status.GetProperty("skipped").GetInt32()));
        Assert.Equal((9, 10), (await RatingAsync(ann, c["amelie"]), await RatingAsync(ann, c["bb"])));
        Assert.Equal(1, await HistoryData.CountAsync(test, "checkins", ann.UserId));

        var (_, legacy) = await RunAsync(ann, "imdb-ratings", await File.ReadAllBytesAsync(HistoryData.Fixture("imdb-ratings-legacy.csv")), "ratings.csv");
        Assert.Equal(new Dictionary<(string, int), (long, long?)>
        {
            [("ratings.csv", 2)] = (c["killbill"], null),
            [("ratings.csv", 3)] = (c["bb"], null),
        }.OrderBy(k => k.Key), MatchedByFile(legacy).OrderBy(k => k.Key));
        Assert.Equal((8, 9), (await RatingAsync(ann, c["killbill"]), await RatingAsync(ann, c["bb"])));
    }

    [EachDatabase]
    public async Task Trakt_export_matches_by_ids_first_and_skips_what_Watchlog_does_not_keep(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();

        var (status, rows) = await RunAsync(ann, "trakt", Zip(HistoryData.Fixture("trakt")), "trakt-export.zip");
        Assert.Equal(new Dictionary<(string, int), (long, long?)>
        {
            [("watched-history.json", 1)] = (c["bb"], c.Ep("bb", 5, 14)),
            [("watched-history.json", 2)] = (c["bb"], c.Ep("bb", 1, 1)),   // by the episode's IMDb id, whatever the show is called
            [("watched-history.json", 3)] = (c["dune2021"], null),           // by TMDB id
            [("ratings-movies.json", 1)] = (c["heat"], null),
            [("lists-watchlist.json", 1)] = (c["dark"], null),
        }.OrderBy(k => k.Key), MatchedByFile(rows).OrderBy(k => k.Key));
        var s = Statuses(rows);
        Assert.Equal("skipped", s[("watched-history.json", 4)]);
        Assert.Equal("skipped", s[("ratings-episodes.json", 1)]);
        Assert.DoesNotContain(rows, r => r.GetProperty("file").GetString() is "watched-movies.json" or "comments-movies.json");
        Assert.Equal(3, await HistoryData.CountAsync(test, "checkins", ann.UserId));
        Assert.Equal(9, await RatingAsync(ann, c["heat"]));
        var history = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/history"), HttpStatusCode.OK);
        Assert.Equal(new DateTime(2024, 3, 9, 21, 2, 11, DateTimeKind.Utc), history.GetProperty("items")[0].GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(0, (await ann.ImportAsync("trakt", Zip(HistoryData.Fixture("trakt")), "trakt-export.zip")).GetProperty("added").GetInt32());
    }

    [EachDatabase]
    public async Task Netflix_activity_merges_sessions_skips_trailers_and_short_views_and_filters_the_profile(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        var bytes = await File.ReadAllBytesAsync(HistoryData.Fixture("ViewingActivity.csv"));

        await WatchlogApp.ExpectFieldErrorAsync(await ann.UploadAsync("netflix-activity", bytes, "ViewingActivity.csv", profile: "Nobody"), "profile");
        var (status, rows) = await RunAsync(ann, "netflix-activity", bytes, "ViewingActivity.csv", profile: "maya");
        Assert.Equal(new Dictionary<(string, int), (long, long?)>
        {
            [("ViewingActivity.csv", 2)] = (c["dark"], c.Ep("dark", 1, 1)),
            [("ViewingActivity.csv", 4)] = (c["dark"], c.Ep("dark", 1, 2)),
            [("ViewingActivity.csv", 8)] = (c["glassonion"], null),
        }.OrderBy(k => k.Key), MatchedByFile(rows).OrderBy(k => k.Key));
        var s = Statuses(rows);
        foreach (var line in new[] { 3, 5, 6, 7, 10 }) Assert.Equal("skipped", s[("ViewingActivity.csv", line)]);
        Assert.False(s.ContainsKey(("ViewingActivity.csv", 9))); // Leo's
        var merged = rows.Single(r => Key(r) == ("ViewingActivity.csv", 4)).GetProperty("parsed");
        Assert.Equal(new DateTime(2024, 2, 11, 20, 0, 0, DateTimeKind.Utc), merged.GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(3, await HistoryData.CountAsync(test, "checkins", ann.UserId));

        var all = await ann.ImportAsync("netflix-activity", bytes, "ViewingActivity.csv");
        Assert.Equal((4, 1), (all.GetProperty("matched").GetInt32(), all.GetProperty("added").GetInt32())); // Leo's film is new
        Assert.Equal(new Dictionary<(string, int), (long, long?)>
        {
            [("ViewingActivity.csv", 2)] = (c["dark"], c.Ep("dark", 1, 1)),
            [("ViewingActivity.csv", 4)] = (c["dark"], c.Ep("dark", 1, 2)),
            [("ViewingActivity.csv", 8)] = (c["glassonion"], null),
            [("ViewingActivity.csv", 9)] = (c["spiderman"], null),
        }.OrderBy(k => k.Key), MatchedByFile(await ann.RowsAsync(all.GetProperty("id").GetInt64())).OrderBy(k => k.Key));
    }

    [EachDatabase]
    public async Task A_Watchlog_export_imported_into_an_empty_account_exports_the_same(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        async Task Post(string url, object body, HttpStatusCode expected) => await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, url, body, ann.Client), expected);
        await Post("/api/checkins", new { title_id = c["heat"], watched_at = "2026-03-30T20:00:00.123456Z", platform = "netflix", rating = 9, note = "Great, \"really\"" }, HttpStatusCode.Created);
        await Post("/api/checkins", new { title_id = c["heat"], watched_at = "2026-04-30T20:00:00Z" }, HttpStatusCode.Created);
        await Post("/api/checkins", new { title_id = c["bb"], season = 1, episode = 1, watched_at = "2026-04-01T10:00:00Z" }, HttpStatusCode.Created);
        await Post("/api/checkins", new { title_id = c["office-uk"], season = 1, episode = 2, watched_at = "2026-04-02T10:00:00Z" }, HttpStatusCode.Created);
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Put, $"/api/titles/{c["amelie"]}/rating", new { rating = 7 }, ann.Client), HttpStatusCode.OK);
        await Post("/api/watchlist", new { title_id = c["dune1984"], platform_preference = "netflix" }, HttpStatusCode.Created);
        await Post("/api/watchlist", new { title_id = c["glassonion"] }, HttpStatusCode.Created);
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Patch, $"/api/watchlist/{c["glassonion"]}/watched", new { watched_at = "2026-05-01T12:00:00Z" }, ann.Client), HttpStatusCode.OK);

        // Settings: profile, preferences, platforms and region.
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Patch, "/auth/me",
            new { first_name = "Annabel", last_name = "Lee", time_zone = "Europe/Helsinki", current_password = ann.Password }, ann.Client), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Put, "/api/me/platforms", new { region = "FI", platforms = new[] { "netflix", "disney-plus" } }, ann.Client), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Patch, "/api/me/preferences", new
        {
            moods = new[] { "cozy", "tense" }, avoid_genres = new[] { "thriller" },
            notifications = new { email = "ann.digest@example.com", telegram_chat_id = "-1001", digest_day = "friday", digest_hour = 18 },
        }, ann.Client), HttpStatusCode.OK);

        var exported = await (await ann.Client.GetAsync("/api/me/export?format=json")).Content.ReadAsByteArrayAsync();
        var bob = await app.SignUpAsync("bob@example.com", firstName: "Bob");
        var status = await bob.ImportAsync("watchlog", exported, "watchlog-export-2026-05-02.json");
        Assert.Equal((0, 0), (status.GetProperty("needs_review").GetInt32(), status.GetProperty("skipped").GetInt32()));
        var again = await (await bob.Client.GetAsync("/api/me/export?format=json")).Content.ReadAsByteArrayAsync();

        // The same document but for what must differ: the account's email and the time of the export.
        static string Comparable(byte[] export)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(export)!.AsObject();
            node.Remove("exported_at");
            node["profile"]!.AsObject().Remove("email");
            return node.ToJsonString();
        }
        Assert.Equal(Comparable(exported), Comparable(again));
        Assert.Contains("\"avoid_genres\":[\"thriller\"]", Comparable(again));
        Assert.Equal(0, (await bob.ImportAsync("watchlog", exported, "x.json")).GetProperty("added").GetInt32());
        Assert.Equal(Comparable(exported), Comparable(await (await bob.Client.GetAsync("/api/me/export?format=json")).Content.ReadAsByteArrayAsync()));
    }

    [EachDatabase]
    public async Task A_Watchlog_export_with_a_bad_setting_is_a_400_and_nothing_is_written(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, "/api/checkins", new { title_id = c["heat"], watched_at = "2026-03-30T20:00:00Z" }, ann.Client), HttpStatusCode.Created);
        var export = System.Text.Json.Nodes.JsonNode.Parse(await (await ann.Client.GetAsync("/api/me/export?format=json")).Content.ReadAsByteArrayAsync())!;
        export["profile"]!["time_zone"] = "Mars/Olympus_Mons";
        var bob = await app.SignUpAsync("bob@example.com");
        var errors = await WatchlogApp.ExpectFieldErrorAsync(await bob.UploadAsync("watchlog", System.Text.Encoding.UTF8.GetBytes(export.ToJsonString()), "export.json"), "file");
        Assert.Contains("profile.time_zone", string.Join(" ", errors));
        Assert.Equal((0, 0), (await HistoryData.CountAsync(test, "history_imports", bob.UserId), await HistoryData.CountAsync(test, "checkins", bob.UserId)));
    }
}
