using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Watchlog.Search;
using static Watchlog.Tests.Search.SearchFixture;

namespace Watchlog.Tests.Search;

/// <summary>
/// The in-process index answers the title and names tiers: the same answers as the database, kept in step with writes
/// from this process (the next search), from other processes (within seconds, through the change log), and handed back
/// to the database while it reads everything again.
/// </summary>
public class MemoryIndexTests
{
    static readonly string[] MoreUrls =
    [
        "/api/search?q=breakng%20bad", "/api/search?q=interstelar", "/api/search?q=bryan%20cran", "/api/search?q=cranston",
        "/api/search?q=documentary", "/api/search?q=documentary&type=movie&year_from=2010", "/api/search?q=dune%202021", "/api/search?q=dune%20series", "/api/search?q=home",
        "/api/search?q=schindlers%20list", "/api/search?q=wall%20e", "/api/search?q=love%20death%20and%20robots",
        "/api/search?q=netflix", "/api/search?q=s.h.i.e.l.d", "/api/search?q=agents%20of%20s", "/api/search?q=st&page_size=3",
        "/api/search?q=b&genre=drama", "/api/search?q=b&platform=netflix&region=US", "/api/search?q=b&runtime_max=60",
        "/feed?q=robots&region=US", "/feed?q=mercy&region=US", "/feed?q=nowhere&region=JP", "/feed?q=platform&region=GB&limit=3",
    ];

    [EachDatabase]
    public async Task Answers_are_the_same_from_memory_and_from_the_database(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await SeedAsync(test);
        await using var database = new WatchlogApp(test, s => s["Watchlog:Search:MemoryIndex"] = "false");
        await using var memory = new WatchlogApp(test);
        Assert.Equal("off", (await database.GetJsonAsync("/api/search/status")).GetProperty("memory_index").GetString());
        var status = await memory.GetJsonAsync("/api/search/status");
        Assert.Equal("ready", status.GetProperty("memory_index").GetString());
        Assert.Equal(Entries().Length, status.GetProperty("titles").GetInt32());
        var empty = new List<string>();
        foreach (var url in RankBucketsTests.Urls.Concat(MoreUrls))
        {
            var expected = (await database.GetJsonAsync(url)).GetRawText();
            Assert.Equal(expected, (await memory.GetJsonAsync(url)).GetRawText());
            if (expected.Contains("\"results\":[]", StringComparison.Ordinal)) empty.Add(url);
        }
        Assert.True(empty.Count == 0, $"found nothing, so the comparison proves little: {string.Join(", ", empty)}");
    }

    /// <summary>Renames a title the way another process or node would: the index is written, this process isn't told.</summary>
    static async Task RenameElsewhereAsync(TestDb test, long id, string title) =>
        await test.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("UPDATE titles SET title = @title WHERE id = @id", new { title, id }, tx);
            await SearchIndex.RefreshAsync(conn, tx, test.Db.Dialect, [id]);
        }, CancellationToken.None);

    static async Task<bool> EventuallyAsync(Func<Task<bool>> check, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (await check()) return true;
            await Task.Delay(100);
        }
        return await check();
    }

    [EachDatabase]
    public async Task Another_process_rename_is_found_within_seconds_and_the_old_name_forgotten(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var ids = await SeedAsync(test);
        await using var app = new WatchlogApp(test);
        var id = ids["interstellar"];
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=interstellar"))); // cached now, too

        await RenameElsewhereAsync(test, id, "Harbour of Echoes");
        Assert.True(await EventuallyAsync(async () => Ids(await app.GetJsonAsync("/api/search?q=echoes")).Contains(id), TimeSpan.FromSeconds(10)),
            "the renamed title was not found by its new name");
        Assert.DoesNotContain(id, Ids(await app.GetJsonAsync("/api/search?q=interstellar")));
        Assert.DoesNotContain(id, Ids(await app.GetJsonAsync("/api/search?q=inters")));
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=harbour%20ec")));
        Assert.True(app.Services.GetRequiredService<MemoryIndex>().Ready);
    }

    [EachDatabase]
    public async Task When_the_change_log_no_longer_reaches_back_the_database_answers_until_the_index_is_read_again(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var ids = await SeedAsync(test);
        // A rename whose log entry was pruned (as after a long absence): the index can't follow it.
        await ReadAgainAfterAsync(test, ids, async () =>
        {
            await RenameElsewhereAsync(test, ids["mercy"], "Quiet Meridian");
            await using var conn = await test.Db.OpenAsync(CancellationToken.None);
            await conn.ExecuteAsync("UPDATE search_meta SET changes_after = version");
        });
    }

    [EachDatabase]
    public async Task More_rewritten_titles_than_a_delta_carries_are_read_again_in_the_background(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var ids = await SeedAsync(test);
        // The log holds every id a write names (titles gone since are dropped by the catch-up): one write naming more
        // ids than the delta may carry.
        await ReadAgainAfterAsync(test, ids, async () =>
        {
            await RenameElsewhereAsync(test, ids["mercy"], "Quiet Meridian");
            var many = Enumerable.Range(1, MemoryIndex.DeltaLimit + 1).Select(i => 10_000_000L + i).Append(ids["mercy"]).ToList();
            await test.Db.WriteAsync((conn, tx) => SearchIndex.RefreshAsync(conn, tx, test.Db.Dialect, many), CancellationToken.None);
        });
    }

    /// <summary>After <paramref name="write"/> (which the index can't follow by a catch-up), the database answers at once
    /// and the index is read again in the background.</summary>
    static async Task ReadAgainAfterAsync(TestDb test, Dictionary<string, long> ids, Func<Task> write)
    {
        await using var app = new WatchlogApp(test, s => s["Watchlog:Search:CacheMegabytes"] = "0");
        var index = app.Services.GetRequiredService<MemoryIndex>();
        Assert.True(index.Ready);
        await write();
        SearchIndex.Committed(); // the next search looks at once

        Assert.Contains(ids["mercy"], Ids(await app.GetJsonAsync("/api/search?q=meridian")));
        Assert.False(index.Ready);
        Assert.True(await EventuallyAsync(() => Task.FromResult(index.Ready), TimeSpan.FromSeconds(20)), "the index was not read again");
        Assert.Contains(ids["mercy"], Ids(await app.GetJsonAsync("/api/search?q=quiet%20meri")));
        Assert.DoesNotContain(ids["mercy"], Ids(await app.GetJsonAsync("/api/search?q=mercy")));
    }

    [EachDatabase]
    public async Task The_change_log_is_pruned_and_says_from_where_it_is_complete(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var ids = await SeedAsync(test);
        // Enough index writes to prune twice (one transaction, so the test stays quick).
        await test.Db.WriteAsync(async (conn, tx) =>
        {
            for (var i = 0; i < SearchIndex.ChangesKept + 130; i++) await SearchIndex.RefreshAsync(conn, tx, test.Db.Dialect, [ids["love"], ids["home-a"]]);
        }, CancellationToken.None);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        var (version, after) = await conn.QuerySingleAsync<(long, long)>("SELECT version, changes_after FROM search_meta");
        var oldest = await conn.ExecuteScalarAsync<long>("SELECT min(version) FROM search_changes");
        Assert.True(version > SearchIndex.ChangesKept + 128, $"version {version}");
        Assert.Equal(version / 64 * 64 - SearchIndex.ChangesKept, after);
        Assert.True(oldest > after, $"the log keeps versions from {oldest}, complete after {after}");
        Assert.Equal(after + 1, oldest);
        Assert.Equal(2, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM search_changes WHERE version = @version", new { version }));
    }
}
