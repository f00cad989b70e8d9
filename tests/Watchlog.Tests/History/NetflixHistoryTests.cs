using System.Net;
using System.Text;
using System.Text.Json;

namespace Watchlog.Tests.History;

public class NetflixHistoryTests
{
    [EachDatabase]
    public async Task A_US_file_with_BOM_and_CRLF_matches_shows_films_and_colon_names_without_a_wrong_match(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();

        var status = await ann.ImportAsync("netflix-history", await File.ReadAllBytesAsync(HistoryData.Fixture("NetflixViewingHistory-us.csv")), "NetflixViewingHistory.csv");
        Assert.Equal("done", status.GetProperty("status").GetString());
        var id = status.GetProperty("id").GetInt64();
        var rows = await ann.RowsAsync(id);
        Assert.Equal(18, rows.Count);
        Assert.Equal(Enumerable.Range(2, 18), rows.Select(r => r.GetProperty("line").GetInt32()));

        var expected = new Dictionary<int, (long, long?)>
        {
            [2] = (c["bb"], c.Ep("bb", 2, 2)),
            [3] = (c["bb"], c.Ep("bb", 5, 14)),
            [4] = (c["gambit"], c.Ep("gambit", 1, 1)),
            [5] = (c["ldr"], c.Ep("ldr", 3, 1)),
            [6] = (c["killbill"], null),
            [7] = (c["glassonion"], null),
            [8] = (c["avatar"], c.Ep("avatar", 1, 1)),
            [9] = (c["stranger"], c.Ep("stranger", 4, 1)),
            [10] = (c["zeroday"], c.Ep("zeroday", 1, 6)),
            [11] = (c["dark"], c.Ep("dark", 1, 1)),
            [12] = (c["swat"], c.Ep("swat", 2, 2)),
            [13] = (c["office-us"], c.Ep("office-us", 1, 2)),
            [14] = (c["spiderman"], null),
            [18] = (c["bb"], c.Ep("bb", 1, 1)),
            [19] = (c["avatar"], c.Ep("avatar", 1, 2)),
        };
        Assert.Equal(expected.OrderBy(e => e.Key), HistoryData.Matched(rows).OrderBy(e => e.Key));

        var byLine = rows.ToDictionary(r => r.GetProperty("line").GetInt32());
        // Parsed fields: the show, the season label's number, the episode title with its own colon, the US date.
        var ldr = byLine[5].GetProperty("parsed");
        Assert.Equal(("episode", "Love, Death & Robots", 3, "Three Robots: Exit Strategies"),
            (ldr.GetProperty("kind").GetString(), ldr.GetProperty("title").GetString(), ldr.GetProperty("season").GetInt32(), ldr.GetProperty("episode_title").GetString()));
        Assert.Equal(new DateTime(2024, 3, 9, 0, 0, 0, DateTimeKind.Utc), ldr.GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.True(ldr.GetProperty("date_only").GetBoolean());
        Assert.Equal("Avatar: The Last Airbender", byLine[8].GetProperty("parsed").GetProperty("title").GetString());
        // "Kill Bill: Vol. 1": a trailing "Vol. 1" is no season label; the kind is left to the catalog (a film matched).
        Assert.Equal(JsonValueKind.Null, byLine[6].GetProperty("parsed").GetProperty("kind").ValueKind);
        Assert.Equal("Kill Bill: Vol. 1", byLine[6].GetProperty("parsed").GetProperty("title").GetString());
        Assert.True(byLine[4].GetProperty("match").GetProperty("confidence").GetDouble() >= 0.8);

        // Dune (two films), an unknown show: review. Feb 30: skipped with its line.
        Assert.Equal("review", byLine[15].GetProperty("status").GetString());
        Assert.Equal("review", byLine[16].GetProperty("status").GetString());
        Assert.Equal("skipped", byLine[17].GetProperty("status").GetString());
        Assert.Contains("2/30/24", byLine[17].GetProperty("match").GetProperty("reason").GetString());
        Assert.Equal((18, 15, 2, 1, 15), (status.GetProperty("rows_read").GetInt32(), status.GetProperty("matched").GetInt32(),
            status.GetProperty("needs_review").GetInt32(), status.GetProperty("skipped").GetInt32(), status.GetProperty("added").GetInt32()));
        Assert.Equal(15, await HistoryData.CountAsync(test, "checkins", ann.UserId));

        var review = await ann.RowsAsync(id, "review");
        var dune = review.Single(r => r.GetProperty("line").GetInt32() == 15);
        Assert.Equal([c["dune1984"], c["dune2021"]], dune.GetProperty("candidates").EnumerateArray().Select(x => x.GetProperty("title_id").GetInt64()).Order());

        // Progress follows the imported episodes.
        var progress = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/progress"), HttpStatusCode.OK);
        var bb = progress.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetProperty("id").GetInt64() == c["bb"]);
        Assert.Equal(3, bb.GetProperty("watched").GetInt32());
    }

    [EachDatabase]
    public async Task Re_importing_the_same_file_adds_nothing_and_a_review_pick_writes_the_check_in_once(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();
        var bytes = await File.ReadAllBytesAsync(HistoryData.Fixture("NetflixViewingHistory-us.csv"));
        var first = await ann.ImportAsync("netflix-history", bytes, "NetflixViewingHistory.csv");
        var second = await ann.ImportAsync("netflix-history", bytes, "NetflixViewingHistory.csv");
        Assert.Equal((15, 0, 15), (second.GetProperty("matched").GetInt32(), second.GetProperty("added").GetInt32(), second.GetProperty("duplicates").GetInt32()));
        Assert.Equal(15, await HistoryData.CountAsync(test, "checkins", ann.UserId));

        var id = first.GetProperty("id").GetInt64();
        var dune = (await ann.RowsAsync(id, "review")).Single(r => r.GetProperty("line").GetInt32() == 15).GetProperty("row").GetInt32();
        var picked = await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, $"/api/imports/{id}/review/{dune}", new { title_id = c["dune2021"] }, ann.Client), HttpStatusCode.OK);
        Assert.Equal(("resolved", "added"), (picked.GetProperty("status").GetString(), picked.GetProperty("result").GetString()));
        Assert.Equal(16, await HistoryData.CountAsync(test, "checkins", ann.UserId));
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, $"/api/imports/{id}/review/{dune}", new { skip = true }, ann.Client), HttpStatusCode.Conflict);
        var after = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync($"/api/imports/{id}"), HttpStatusCode.OK);
        Assert.Equal((16, 1), (after.GetProperty("matched").GetInt32(), after.GetProperty("needs_review").GetInt32()));

        // The unknown show: a series needs its episode; skipping takes it off the queue.
        var unknown = (await ann.RowsAsync(id, "review")).Single().GetProperty("row").GetInt32();
        Assert.Contains("episode_id", string.Join(" ", await WatchlogApp.ExpectFieldErrorAsync(
            await app.SendJsonAsync(HttpMethod.Post, $"/api/imports/{id}/review/{unknown}", new { title_id = c["bb"] }, ann.Client), "episode_id")));
        await WatchlogApp.ExpectFieldErrorAsync(await app.SendJsonAsync(HttpMethod.Post, $"/api/imports/{id}/review/{unknown}", new { title_id = 999999 }, ann.Client), "title_id");
        await WatchlogApp.ExpectAsync(await app.SendJsonAsync(HttpMethod.Post, $"/api/imports/{id}/review/{unknown}", new { skip = true }, ann.Client), HttpStatusCode.OK);
        Assert.Empty(await ann.RowsAsync(id, "review"));

        // Someone else's import is 404 everywhere.
        var bob = await app.SignUpAsync("bob@example.com");
        await WatchlogApp.ExpectProblemAsync(await bob.Client.GetAsync($"/api/imports/{id}"), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await bob.Client.GetAsync($"/api/imports/{id}/rows"), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await bob.Client.GetAsync($"/api/imports/{id}/review"), HttpStatusCode.NotFound);
        await WatchlogApp.ExpectProblemAsync(await app.SendJsonAsync(HttpMethod.Post, $"/api/imports/{id}/review/1", new { skip = true }, bob.Client), HttpStatusCode.NotFound);
    }

    [EachDatabase]
    public async Task Day_first_locales_are_detected_from_the_whole_file(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();

        var uk = await ann.ImportAsync("netflix-history", await File.ReadAllBytesAsync(HistoryData.Fixture("NetflixViewingHistory-uk.csv")), "NetflixViewingHistory.csv");
        var ukRows = (await ann.RowsAsync(uk.GetProperty("id").GetInt64())).ToDictionary(r => r.GetProperty("line").GetInt32());
        // "02/01/2024" alone could be 1 February; the other row's 31 says the file is day-first.
        Assert.Equal(new DateTime(2024, 1, 2), ukRows[3].GetProperty("parsed").GetProperty("watched_at").GetDateTime().ToUniversalTime().Date);
        Assert.Equal(new Dictionary<int, (long, long?)> { [2] = (c["bb"], c.Ep("bb", 1, 1)), [3] = (c["killbill"], null) }.OrderBy(e => e.Key),
            HistoryData.Matched(ukRows.Values).OrderBy(e => e.Key));

        var de = await ann.ImportAsync("netflix-history", await File.ReadAllBytesAsync(HistoryData.Fixture("NetflixViewingHistory-de.csv")), "NetflixViewingHistory.csv");
        var deRows = (await ann.RowsAsync(de.GetProperty("id").GetInt64())).ToDictionary(r => r.GetProperty("line").GetInt32());
        Assert.Equal(new DateTime(2023, 2, 2), deRows[3].GetProperty("parsed").GetProperty("watched_at").GetDateTime().ToUniversalTime().Date);
        Assert.Equal(new Dictionary<int, (long, long?)> { [2] = (c["dark"], c.Ep("dark", 1, 1)), [3] = (c["dark"], c.Ep("dark", 1, 2)) }.OrderBy(e => e.Key),
            HistoryData.Matched(deRows.Values).OrderBy(e => e.Key));
    }

    [EachDatabase]
    public async Task A_Finnish_file_reads_Kausi_chapters_translated_and_other_names_and_sends_what_is_unsure_to_review(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var c = await HistoryData.SeedAsync(test);
        var ann = await app.SignUpAsync();

        var status = await ann.ImportAsync("netflix-history", await File.ReadAllBytesAsync(HistoryData.Fixture("NetflixViewingHistory-fi.csv")), "NetflixViewingHistory.csv");
        var rows = (await ann.RowsAsync(status.GetProperty("id").GetInt64())).ToDictionary(r => r.GetProperty("line").GetInt32());
        Assert.Equal(new Dictionary<int, (long, long?)>
        {
            [2] = (c["riverdale"], c.Ep("riverdale", 1, 2)),       // "Luku 2: Touch of Evil" = "Chapter Two: A Touch of Evil"
            [3] = (c["riverdale"], c.Ep("riverdale", 2, 2)),       // chapters count across seasons; the title decides
            [4] = (c["order"], c.Ep("order", 1, 2)),               // "Hell Week: Osa 2" = "Hell Week, Part 2"
            [5] = (c["flash2014"], c.Ep("flash2014", 1, 2)),       // two shows called The Flash, one has the episode
            [7] = (c["carbon"], c.Ep("carbon", 1, 2)),             // "Altered Carbon – Muuntohiili"
            [8] = (c["blacklightning"], c.Ep("blacklightning", 2, 1)),
            [9] = (c["blacklightning"], c.Ep("blacklightning", 2, 2)),
            [10] = (c["titans"], c.Ep("titans", 1, 11)),           // a tab inside the title
            [11] = (c["moneyheist"], c.Ep("moneyheist", 1, 2)),    // the German name, an alias of the title
            [12] = (c["crouching"], null),                         // a film's bilingual name
        }.OrderBy(e => e.Key), HistoryData.Matched(rows.Values).OrderBy(e => e.Key));
        // Both shows called The Flash have a Pilot; a Finnish title the catalog doesn't know; a missing episode; an episode's Finnish name.
        foreach (var line in new[] { 6, 13, 14, 15 }) Assert.Equal("review", rows[line].GetProperty("status").GetString());
        var pilot = (await ann.RowsAsync(status.GetProperty("id").GetInt64(), "review")).Single(r => r.GetProperty("line").GetInt32() == 6);
        Assert.Equal(new[] { c.Ep("flash1990", 1, 1), c.Ep("flash2014", 1, 1) }.Order(),
            pilot.GetProperty("candidates").EnumerateArray().Select(x => x.GetProperty("episode_id").GetInt64()).Order());
        Assert.Equal(new DateTime(2024, 1, 14), rows[3].GetProperty("parsed").GetProperty("watched_at").GetDateTime().ToUniversalTime().Date);
    }

    [EachDatabase]
    public async Task A_file_that_is_not_the_format_is_a_400_naming_the_field_and_nothing_is_stored(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test);
        var ann = await app.SignUpAsync();

        await WatchlogApp.ExpectFieldErrorAsync(await ann.UploadAsync("netflix-history", Encoding.UTF8.GetBytes("Name,When\n\"x\",\"1/1/24\"\n"), "x.csv"), "file");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.UploadAsync("netflix-history", [0, 1, 2, 0], "x.bin"), "file");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.UploadAsync("netflix-activity", Encoding.UTF8.GetBytes("Title,Date\n\"x\",\"1/1/24\"\n"), "x.csv"), "file");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.UploadAsync("spotify", Encoding.UTF8.GetBytes("Title,Date\n"), "x.csv"), "format");
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.PostAsync("/api/imports", new StringContent("{}", Encoding.UTF8, "application/json")), "file");
        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().PostAsync("/api/imports", new MultipartFormDataContent()), HttpStatusCode.Unauthorized);
        Assert.Equal(0, await HistoryData.CountAsync(test, "history_imports", ann.UserId));
        var list = await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/api/imports"), HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }
}
