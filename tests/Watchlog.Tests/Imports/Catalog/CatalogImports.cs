using System.Text;
using Dapper;
using Watchlog.Catalog;
using Watchlog.Imports.Catalog;

namespace Watchlog.Tests.Imports.Catalog;

/// <summary>Runs catalog imports on a test database the way the CLI does, and reads back what they stored.</summary>
static class CatalogImports
{
    public static CancellationToken Ct => CancellationToken.None;

    public static CatalogImport For(TestDb db) =>
        new(new CatalogWriter(db.Db, TimeProvider.System), [new JsonlFormat(), new StreamingCsvFormat(), new MovieLensFormat()]);

    public static Task<ImportSummary> RunAsync(TestDb db, string path, string format, CatalogImportOptions? options = null) =>
        For(db).RunAsync(path, format, options ?? new CatalogImportOptions(), null, Ct);

    public static Task<ImportSummary> StreamingAsync(TestDb db, string path, string platform, string? region = null) =>
        RunAsync(db, path, "streaming-csv", new CatalogImportOptions(Platform: platform, Region: region));

    /// <summary>Writes a file (UTF-8, no BOM, exactly the text given) under the test database's own temporary folder.</summary>
    public static string WriteFile(TestDb db, string relative, string text) => WriteFile(db, relative, new UTF8Encoding(false).GetBytes(text));

    public static string WriteFile(TestDb db, string relative, byte[] bytes)
    {
        var path = Path.Combine(db.DataDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The stored title a source's row became.</summary>
    public static async Task<TitleDetails> TitleAsync(TestDb db, string source, string sourceId)
    {
        long id;
        await using (var conn = await db.Db.OpenAsync(Ct))
            id = await conn.QuerySingleAsync<long>("SELECT title_id FROM title_sources WHERE source = @source AND source_id = @sourceId", new { source, sourceId });
        return (await new TitleStore(db.Db).GetAsync(id, Ct))!;
    }

    public static async Task<long> CountAsync(TestDb db, string table)
    {
        await using var conn = await db.Db.OpenAsync(Ct);
        return await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    /// <summary>Row counts of every table an import writes, to compare before and after a re-import.</summary>
    public static async Task<string> CountsAsync(TestDb db)
    {
        string[] tables = ["titles", "title_sources", "title_genres", "title_regions", "title_aliases", "people", "credits", "availability", "seasons"];
        var counts = new List<string>();
        foreach (var table in tables) counts.Add($"{table}={await CountAsync(db, table)}");
        return string.Join(", ", counts);
    }
}
