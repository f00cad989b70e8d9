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
        await using var app = new WatchlogApp(test, s => s["Watchlog:Search:CacheEntries"] = "0");

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
}
