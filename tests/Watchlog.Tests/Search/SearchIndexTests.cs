using Dapper;
using Watchlog.Catalog;
using Watchlog.Search;
using static Watchlog.Tests.Search.SearchFixture;

namespace Watchlog.Tests.Search;

/// <summary>The index follows catalog writes in every table it keeps (people have their own on SQLite), also after compaction.</summary>
public class SearchIndexTests
{
    static CatalogEntry Film(string name, params string[] people) => new()
    {
        Id = "film", Kind = "movie", Title = "Quiet Harbour", Year = 2011, Popularity = 5, RuntimeMin = 95, Regions = ["US"],
        Overview = "A lighthouse keeper and a storm.",
        People = people.Select(p => new PersonEntry { Name = p }).ToList(),
    };

    [EachDatabase]
    public async Task People_are_found_by_name_and_prefix_after_rewrites_and_compaction(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await SeedAsync(test);
        var writer = new CatalogWriter(test.Db, TimeProvider.System);
        var id = (await writer.Begin("jsonl").WriteAsync(Make.Lines(Film("f", "Ingrid Bergstrom")), CancellationToken.None))[0].TitleId;
        await using var app = new WatchlogApp(test, s => s["Watchlog:Search:CacheMegabytes"] = "0");

        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=ingrid")));
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=bergs")));          // a prefix of a name
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=ingrid%20lighthouse"))); // a name and a plot word

        // A catalog import adds the credits it brings (it never drops the ones a title has): the document is written again.
        await writer.Begin("jsonl").WriteAsync(Make.Lines(Film("f", "Paul Newmanson")), CancellationToken.None);
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=newm")));
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=bergs")));

        await SearchIndex.CompactAsync(test.Db, CancellationToken.None);
        Assert.Contains(id, Ids(await app.GetJsonAsync("/api/search?q=newmanson")));
        Assert.Empty(Ids(await app.GetJsonAsync("/api/search?q=bergstrum%20newmanson%20ingrid%20xyzzy")));
        if (engine == Engine.Sqlite)
        {
            // The external-content FTS tables agree with search_docs row for row (a missed 'delete' fails this).
            await using var conn = await test.Db.OpenAsync(CancellationToken.None);
            foreach (var table in new[] { "search_fts", "search_more", "search_people" })
                await conn.ExecuteAsync($"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)");
        }
    }

    /// <summary>Titles an older database or another path wrote without a search document are indexed after start, in
    /// more than one batch; searches find them.</summary>
    [EachDatabase]
    public async Task Titles_without_a_search_document_are_indexed_in_the_background_after_start(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await SeedAsync(test);
        var now = DateTime.UtcNow;
        const int missing = 2_500;   // more than one backfill batch
        long first = 0;
        await test.Db.WriteAsync(async (conn, tx) =>
        {
            first = await conn.ExecuteScalarAsync<long>("SELECT coalesce(max(id), 0) + 1 FROM titles", transaction: tx);
            await conn.ExecuteAsync(
                "INSERT INTO titles (id, kind, title, match_key, year, popularity, created_at, updated_at) VALUES (@id, 'movie', @title, @key, 1999, @pop, @now, @now)",
                Enumerable.Range(0, missing).Select(i => new { id = first + i, title = $"Zanzibar Nights {i}", key = $"zanzibar nights {i}", pop = (double)i, now }), tx);
        }, CancellationToken.None);

        await using var app = new WatchlogApp(test, s => s["Watchlog:Search:CacheMegabytes"] = "0");
        app.CreateClient();
        var until = DateTime.UtcNow.AddSeconds(60);
        long indexed;
        do
        {
            await Task.Delay(100);
            await using var conn = await test.Db.OpenAsync(CancellationToken.None);
            indexed = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM search_docs WHERE title_id >= @first", new { first });
        } while (indexed < missing && DateTime.UtcNow < until);
        Assert.Equal(missing, indexed);
        Assert.Equal(first + missing - 1, Ids(await app.GetJsonAsync("/api/search?q=zanzibar%20nights"))[0]);   // the most popular
        Assert.Equal([first + 1234], Ids(await app.GetJsonAsync("/api/search?q=zanzibar%20nights%201234")));
    }
}
