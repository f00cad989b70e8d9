using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Watchlog.Catalog;
using Watchlog.Tests.Metadata;

namespace Watchlog.Tests.Catalog;

/// <summary>The per-process cache of <c>GET /api/titles/{id}</c> answers: served, dropped by every write, bounded.</summary>
public class TitleCacheTests
{
    static async Task<(string Body, string ETag)> ReadAsync(HttpClient client, long id)
    {
        var response = await client.GetAsync($"/api/titles/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), response.Headers.ETag!.Tag);
    }

    static async Task<long> SucceededAsync(TestDb test, long id)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM sync_log WHERE title_id = @id AND status = 'succeeded'", new { id });
    }

    [EachDatabase]
    public async Task A_cached_answer_is_reused_until_a_sync_or_a_catalog_import_changes_the_title(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, MetadataApiTests.Configure(fake));
        var admin = await app.SignUpAsync("admin@example.com");
        var client = app.CreateClient();
        var location = (await client.GetAsync("/api/titles/lookup?tmdb=20&type=series")).Headers.Location!.ToString();
        var id = long.Parse(location.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await MetadataApiTests.WaitUntilAsync(async () => (await client.GetAsync(location)).StatusCode == HttpStatusCode.OK, "the first sync");

        var first = await ReadAsync(client, id);
        // Changed past the app without moving updated_at: only a cached answer still says what it said.
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE titles SET overview = 'written past the app' WHERE id = @id", new { id }, tx), CancellationToken.None);
        var second = await ReadAsync(client, id);
        Assert.Equal(first, second);
        Assert.DoesNotContain("written past the app", second.Body);
        var cache = app.Services.GetRequiredService<TitleCache>();
        Assert.True(cache.Usage.Entries >= 1);

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/titles/{id}"))
        {
            conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(first.ETag));
            var notModified = await client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(first.ETag, notModified.Headers.ETag!.Tag);
        }

        // The provider now lists more cast; an admin re-syncs: the next read has them.
        var credits = JsonDocument.Parse(first.Body).RootElement.GetProperty("credits").GetArrayLength();
        fake.Cast += 3;
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/admin/sync/{id}", null)).StatusCode);
        await MetadataApiTests.WaitUntilAsync(async () => await SucceededAsync(test, id) == 2, "the re-sync");
        var synced = await ReadAsync(client, id);
        Assert.Equal(credits + 3, JsonDocument.Parse(synced.Body).RootElement.GetProperty("credits").GetArrayLength());
        Assert.NotEqual(first.ETag, synced.ETag);
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/titles/{id}"))
        {
            conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(first.ETag));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(conditional)).StatusCode);
        }

        // A catalog import from another source merges into the title (same IMDb id) and adds a genre and a region.
        var entry = Make.Series("s20", "Series 20", 2008, (1, 2));
        entry.ExternalIds = new ExternalIds { Imdb = FakeProvider.SeriesImdb(20) };
        entry.Genres = ["Imported Genre"];
        entry.Platforms = [new PlatformEntry { Name = "Netflix", Region = "JP" }];
        var written = await app.Services.GetRequiredService<CatalogWriter>().Begin("jsonl").WriteAsync(Make.Lines(entry), CancellationToken.None);
        Assert.Equal(id, Assert.Single(written).TitleId);
        var imported = JsonDocument.Parse((await ReadAsync(client, id)).Body).RootElement;
        Assert.Contains("Imported Genre", imported.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
        Assert.True(imported.GetProperty("availability").TryGetProperty("JP", out _));
    }

    [EachDatabase]
    public async Task Another_nodes_write_is_seen_once_the_entry_is_checked_and_pending_titles_still_answer_202(Engine engine)
    {
        await using var fake = await FakeProvider.StartAsync();
        await using var test = await TestDb.CreateAsync(engine);
        fake.Latency = TimeSpan.FromMilliseconds(300);
        await using var app = new WatchlogApp(test, s => { MetadataApiTests.Configure(fake)(s); s["Watchlog:Catalog:TitleCacheCheckSeconds"] = "0"; });
        var client = app.CreateClient();
        var location = (await client.GetAsync("/api/titles/lookup?tmdb=30&type=movie")).Headers.Location!.ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await client.GetAsync(location)).StatusCode);   // pending: never cached as an answer
        await MetadataApiTests.WaitUntilAsync(async () => (await client.GetAsync(location)).StatusCode == HttpStatusCode.OK, "the first sync");
        var id = long.Parse(location.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var before = await ReadAsync(client, id);

        // Another node's catalog write moves updated_at with what it changes; this node checks the stamp and reloads.
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE titles SET overview = 'from another node', updated_at = @now WHERE id = @id",
            new { id, now = DateTime.UtcNow.AddSeconds(1) }, tx), CancellationToken.None);
        var after = await ReadAsync(client, id);
        Assert.Contains("from another node", after.Body);
        Assert.NotEqual(before.ETag, after.ETag);
    }

    [EachDatabase]
    public async Task Renaming_a_credited_person_changes_the_cached_answer_and_moves_the_titles_stamp(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var movie = Make.Movie("m1", "Heat", 1995, imdb: "tt0113277");
        movie.People = [new PersonEntry { Name = "Al Pacino", ImdbId = "nm0000199", Character = "Hanna" }];
        var id = (await new CatalogWriter(test.Db, TimeProvider.System).Begin("jsonl").WriteAsync(Make.Lines(movie), CancellationToken.None))[0].TitleId;
        await using var app = new WatchlogApp(test);
        var client = app.CreateClient();
        var before = await ReadAsync(client, id);
        Assert.Contains("Al Pacino", before.Body);
        DateTime Stamp(string body) => JsonDocument.Parse(body).RootElement.GetProperty("updated_at").GetDateTime();

        // IMDb's name.basics renames the person: the title answer (cached a moment ago) shows the new name at once.
        await app.Services.GetRequiredService<CatalogWriter>().Begin("imdb")
            .WritePeopleAsync([new PersonRecord("nm0000199", "Alfredo Pacino", 1940, null)], CancellationToken.None);
        var after = await ReadAsync(client, id);
        Assert.Contains("Alfredo Pacino", after.Body);
        Assert.NotEqual(before.ETag, after.ETag);
        Assert.True(Stamp(after.Body) > Stamp(before.Body), "the title's updated_at moves, so other nodes see the rename too");
    }

    [EachDatabase]
    public async Task The_cache_keeps_within_its_byte_budget_and_every_read_stays_right(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var entries = Enumerable.Range(1, 40).Select(i =>
        {
            var movie = Make.Movie($"m{i}", $"Budget Movie {i}", 1990 + i % 30);
            movie.Overview = new string('x', 400) + i;
            return movie;
        }).ToArray();
        var ids = (await new CatalogWriter(test.Db, TimeProvider.System).Begin("jsonl").WriteAsync(Make.Lines(entries), CancellationToken.None))
            .Select(r => r.TitleId).ToList();
        const double megabytes = 0.01;   // ~10 KB: room for a handful of these ~1 KB answers
        await using var app = new WatchlogApp(test, s => s["Watchlog:Catalog:TitleCacheMegabytes"] = megabytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = app.CreateClient();
        var cache = app.Services.GetRequiredService<TitleCache>();

        for (var round = 0; round < 2; round++)
            for (var i = 0; i < ids.Count; i++)
            {
                var title = JsonDocument.Parse((await ReadAsync(client, ids[i])).Body).RootElement;
                Assert.Equal($"Budget Movie {i + 1}", title.GetProperty("title").GetString());
                Assert.True(cache.Usage.Bytes <= megabytes * 1024 * 1024, $"{cache.Usage.Bytes} bytes held");
            }
        Assert.InRange(cache.Usage.Entries, 1, ids.Count / 2);
    }
}
