using Watchlog.Catalog;
using Watchlog.Imports.Catalog;

namespace Watchlog.Tests.Imports.Catalog;

public class CatalogImportTests
{
    [EachDatabase]
    public async Task A_single_pass_format_counts_rows_as_before(Engine engine)
    {
        await using var db = await TestDb.CreateAsync(engine);
        var file = Path.Combine(db.DataDir, "catalog.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"id": 1, "kind": "movie", "title": "Heat", "year": 1995}""",
            """{"id": 2, "kind": "series", "title": "The Wire", "year": 2002}""",
            """{"id": 3, "kind": "podcast", "title": "Serial"}""",
            "not json",
        ]);
        var runner = new CatalogImport(new CatalogWriter(db.Db, TimeProvider.System), [new JsonlFormat()]);

        var summary = await runner.RunAsync(file, "jsonl", new CatalogImportOptions(), null, CancellationToken.None);

        Assert.Equal((4L, 2L, 2L), (summary.Read, summary.Imported, summary.Skipped));
        Assert.Equal((0L, 0L, null), (summary.Episodes, summary.People, summary.Stage));
        Assert.Empty(summary.Stages);
    }
}
