using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Dapper;
using Watchlog.Imports.Csv;
using Watchlog.Reports;
using Watchlog.Tests.Tracking;

namespace Watchlog.Tests.Reports;

public class ExportTests
{
    const string Note = "Great, \"tense\"\nending";

    /// <summary>Ann's log (with external ids on the titles she touched) and Bob's, which must never show in hers.</summary>
    static async Task<(WatchlogApp App, SignedIn Ann, Library Lib)> SeedAsync(TestDb test)
    {
        var lib = await TrackingData.SeedAsync(test);
        await using (var conn = await test.Db.OpenAsync(CancellationToken.None))
        {
            await conn.ExecuteAsync("UPDATE titles SET imdb_id = 'tt0113277', tmdb_id = 949 WHERE id = @id", new { id = lib.Heat });
            await conn.ExecuteAsync("UPDATE titles SET imdb_id = 'tt11280740', tmdb_id = 95396, tvdb_id = 371980 WHERE id = @id", new { id = lib.Severance });
            await conn.ExecuteAsync("UPDATE episodes SET imdb_id = 'tt11650328', tvdb_id = 7913591 WHERE id = @id", new { id = lib.Ep(1, 1) });
            await conn.ExecuteAsync("UPDATE titles SET imdb_id = 'tt0078748' WHERE id = @id", new { id = lib.Alien });
        }
        var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();
        var bob = await app.SignUpAsync("bob@example.com", firstName: "Bob");

        await ann.CheckInAsync(new { title_id = lib.Heat, watched_at = "2026-03-30T20:00:00Z", platform = "Netflix", rating = 9, note = Note });
        await ann.CheckInAsync(new { episode_id = lib.Ep(1, 1), watched_at = "2026-04-01T10:00:00Z" });
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, $"/api/titles/{lib.Alien}/rating", new { rating = 8 }), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Up, platform_preference = "Netflix" }), HttpStatusCode.Created);
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Alien }), HttpStatusCode.Created);
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Patch, $"/api/watchlist/{lib.Alien}/watched", new { watched_at = "2026-11-20T21:00:00Z" }), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Put, "/api/me/platforms", new { region = "US", platforms = new[] { "Netflix" } }), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await ann.SendAsync(HttpMethod.Patch, "/api/me/preferences", new { moods = new[] { "cozy" } }), HttpStatusCode.OK);

        await bob.CheckInAsync(new { episode_id = lib.Ep(lib.Dark, 1, 1), watched_at = "2026-03-30T20:00:00Z", note = "bob's" });
        await bob.CheckInAsync(new { title_id = lib.Up, watched_at = "2026-03-30T20:00:00Z" });
        await WatchlogApp.ExpectAsync(await bob.SendAsync(HttpMethod.Put, $"/api/titles/{lib.Heat}/rating", new { rating = 2 }), HttpStatusCode.OK);
        await WatchlogApp.ExpectAsync(await bob.SendAsync(HttpMethod.Post, "/api/watchlist", new { title_id = lib.Severance }), HttpStatusCode.Created);
        return (app, ann, lib);
    }

    static (string? Imdb, long? Tmdb, long? Tvdb) Ids(JsonElement owner)
    {
        var ids = owner.GetProperty("external_ids");
        static long? N(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt64();
        return (ids.GetProperty("imdb").GetString(), N(ids.GetProperty("tmdb")), N(ids.GetProperty("tvdb")));
    }

    [EachDatabase]
    public async Task The_json_export_holds_every_row_of_the_user_with_external_ids_and_nothing_of_others(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var (app, ann, _) = await SeedAsync(test);
        await using var _app = app;

        var response = await ann.Client.GetAsync("/api/me/export");
        TrackingData.AssertPrivate(response);
        var export = await WatchlogApp.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("attachment; filename=\"watchlog-export-2026-11-21.json\"", string.Join(",", response.Content.Headers.GetValues("Content-Disposition")));

        Assert.Equal(("watchlog-export", 1), (export.GetProperty("format").GetString(), export.GetProperty("version").GetInt32()));
        Assert.Equal(TrackingData.Now.UtcDateTime, export.GetProperty("exported_at").GetDateTime().ToUniversalTime());
        var profile = export.GetProperty("profile");
        Assert.Equal(("ann@example.com", "Ann", "Example", "UTC", "US"), (profile.GetProperty("email").GetString(), profile.GetProperty("first_name").GetString(),
            profile.GetProperty("last_name").GetString(), profile.GetProperty("time_zone").GetString(), profile.GetProperty("region").GetString()));
        Assert.Equal(["cozy"], export.GetProperty("preferences").GetProperty("moods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(JsonValueKind.Object, export.GetProperty("preferences").GetProperty("notifications").ValueKind);
        Assert.Equal(["netflix"], export.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("slug").GetString()));

        var checkins = export.GetProperty("checkins").EnumerateArray().ToArray();
        Assert.Equal(3, checkins.Length); // Heat, Severance 1x1, and Alien from marking it watched; none of Bob's
        var heat = checkins[0];
        Assert.Equal(new DateTime(2026, 3, 30, 20, 0, 0, DateTimeKind.Utc), heat.GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(("Heat", "movie", 1995), (heat.GetProperty("title").GetProperty("title").GetString(),
            heat.GetProperty("title").GetProperty("kind").GetString(), heat.GetProperty("title").GetProperty("year").GetInt32()));
        Assert.Equal(("tt0113277", 949L, (long?)null), Ids(heat.GetProperty("title")));
        Assert.Equal(JsonValueKind.Null, heat.GetProperty("episode").ValueKind);
        Assert.Equal(("netflix", 9, Note), (heat.GetProperty("platform").GetString(), heat.GetProperty("rating").GetInt32(), heat.GetProperty("note").GetString()));

        var episode = checkins[1];
        Assert.Equal(("tt11280740", 95396L, 371980L), Ids(episode.GetProperty("title")));
        var ep = episode.GetProperty("episode");
        Assert.Equal((1, 1, "Episode 1"), (ep.GetProperty("season").GetInt32(), ep.GetProperty("number").GetInt32(), ep.GetProperty("title").GetString()));
        Assert.Equal(("tt11650328", (long?)null, 7913591L), Ids(ep));
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("platform").ValueKind);
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("rating").ValueKind);
        Assert.Equal("Alien", checkins[2].GetProperty("title").GetProperty("title").GetString());

        // A check-in's rating rates its title too; same instant, so in title order.
        var ratings = export.GetProperty("ratings").EnumerateArray().ToArray();
        Assert.Equal([("Heat", 9), ("Alien", 8)], ratings.Select(r => (r.GetProperty("title").GetProperty("title").GetString(), r.GetProperty("rating").GetInt32())));
        var rating = ratings[1];
        Assert.Equal(("Alien", 8), (rating.GetProperty("title").GetProperty("title").GetString(), rating.GetProperty("rating").GetInt32()));
        Assert.Equal(("tt0078748", (long?)null, (long?)null), Ids(rating.GetProperty("title")));
        Assert.Equal(TrackingData.Now.UtcDateTime, rating.GetProperty("rated_at").GetDateTime().ToUniversalTime());

        var watchlist = export.GetProperty("watchlist").EnumerateArray()
            .ToDictionary(w => w.GetProperty("title").GetProperty("title").GetString()!);
        Assert.Equal(["Alien", "Up"], watchlist.Keys.Order());
        Assert.Equal(("netflix", false, JsonValueKind.Null), (watchlist["Up"].GetProperty("platform_preference").GetString(),
            watchlist["Up"].GetProperty("watched").GetBoolean(), watchlist["Up"].GetProperty("watched_at").ValueKind));
        Assert.True(watchlist["Alien"].GetProperty("watched").GetBoolean());
        Assert.Equal(new DateTime(2026, 11, 20, 21, 0, 0, DateTimeKind.Utc), watchlist["Alien"].GetProperty("watched_at").GetDateTime().ToUniversalTime());
        Assert.Equal(TrackingData.Now.UtcDateTime, watchlist["Up"].GetProperty("added_at").GetDateTime().ToUniversalTime());

        Assert.DoesNotContain("bob", export.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Dark", export.GetRawText(), StringComparison.Ordinal);
    }

    static async Task<List<string[]>> ReadCsvAsync(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is missing");
        await using var stream = entry.Open();
        var rows = new List<string[]>();
        await foreach (var record in CsvReader.ReadAsync(stream, CancellationToken.None))
        {
            Assert.Null(record.Error);
            rows.Add(record.Fields.ToArray());
        }
        return rows;
    }

    [EachDatabase]
    public async Task The_csv_export_is_a_zip_of_four_files_with_headers_and_the_users_rows(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var (app, ann, _) = await SeedAsync(test);
        await using var _app = app;

        var response = await ann.Client.GetAsync("/api/me/export?format=csv");
        TrackingData.AssertPrivate(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"watchlog-export-2026-11-21.zip\"", string.Join(",", response.Content.Headers.GetValues("Content-Disposition")));

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        Assert.Equal(["checkins.csv", "profile.csv", "ratings.csv", "watchlist.csv"], zip.Entries.Select(e => e.FullName).Order());

        var profile = await ReadCsvAsync(zip, "profile.csv");
        Assert.Equal(CsvExport.ProfileColumns, profile[0]);
        Assert.Equal(2, profile.Count);
        Assert.Equal(["ann@example.com", "Ann", "Example", "UTC", "US", "netflix", "cozy"], profile[1].Take(7));

        var checkins = await ReadCsvAsync(zip, "checkins.csv");
        Assert.Equal(CsvExport.CheckInColumns, checkins[0]);
        Assert.Equal(4, checkins.Count);
        var heat = checkins[1].Select((v, i) => (CsvExport.CheckInColumns[i], v)).ToDictionary();
        Assert.Equal("2026-03-30T20:00:00Z", heat["watched_at"]);
        Assert.Equal(("Heat", "movie", "1995", "tt0113277", "949", ""), (heat["title"], heat["kind"], heat["year"], heat["imdb"], heat["tmdb"], heat["tvdb"]));
        Assert.Equal(("netflix", "9", Note), (heat["platform"], heat["rating"], heat["note"]));
        Assert.Equal("", heat["season"]);
        var episode = checkins[2].Select((v, i) => (CsvExport.CheckInColumns[i], v)).ToDictionary();
        Assert.Equal(("1", "1", "Episode 1", "tt11650328", "7913591"), (episode["season"], episode["episode"], episode["episode_title"],
            episode["episode_imdb"], episode["episode_tvdb"]));

        var ratings = await ReadCsvAsync(zip, "ratings.csv");
        Assert.Equal(CsvExport.RatingColumns, ratings[0]);
        Assert.Equal(3, ratings.Count);
        Assert.Equal(["Alien", "movie", "1979", "tt0078748", "", "", "8", "2026-11-21T12:00:00Z"], ratings[2]);

        var watchlist = await ReadCsvAsync(zip, "watchlist.csv");
        Assert.Equal(CsvExport.WatchlistColumns, watchlist[0]);
        Assert.Equal(["Alien", "Up"], watchlist.Skip(1).Select(r => r[0]).Order());
        var up = watchlist.Single(r => r[0] == "Up");
        Assert.Equal(["2026-11-21T12:00:00Z", "netflix", "false", ""], up[6..]);

        foreach (var name in new[] { "checkins.csv", "ratings.csv", "watchlist.csv", "profile.csv" })
            Assert.DoesNotContain((await ReadCsvAsync(zip, name)).SelectMany(r => r), f => f.Contains("bob", StringComparison.OrdinalIgnoreCase) || f == "Dark");
    }

    [EachDatabase]
    public async Task The_export_needs_credentials_and_a_known_format(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, clock: TrackingData.Clock());
        var ann = await app.SignUpAsync();

        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().GetAsync("/api/me/export"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectProblemAsync(await app.CreateClient().GetAsync("/api/me/export?format=csv"), HttpStatusCode.Unauthorized);
        await WatchlogApp.ExpectFieldErrorAsync(await ann.Client.GetAsync("/api/me/export?format=xml"), "format");

        // An empty log still exports a whole document.
        var export = await ann.GetOkAsync("/api/me/export?format=json");
        Assert.Equal(0, export.GetProperty("checkins").GetArrayLength());
        Assert.Equal(0, export.GetProperty("ratings").GetArrayLength());
        Assert.Equal(0, export.GetProperty("watchlist").GetArrayLength());
        Assert.Equal(0, export.GetProperty("platforms").GetArrayLength());
    }

    [Fact]
    public void Csv_fields_are_quoted_only_when_needed()
    {
        Assert.Equal("", CsvWriter.Quote(null));
        Assert.Equal("plain text", CsvWriter.Quote("plain text"));
        Assert.Equal("\"a,b\"", CsvWriter.Quote("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvWriter.Quote("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", CsvWriter.Quote("two\r\nlines"));
    }
}
