using Dapper;

namespace Watchlog.Tests.Cli;

public class CliTests
{
    static Task<(int Code, string Output)> RunAsync(TestDb test, params string[] args) => CliRunner.RunAsync(test, args);

    static async Task<long> CountAsync(TestDb test, string table)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    static string WriteJsonl(TestDb test, params string[] lines)
    {
        var path = Path.Combine(test.DataDir, $"catalog-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [EachDatabase]
    public async Task Migrate_applies_pending_migrations_and_then_has_nothing_to_do(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine, migrated: false);

        var (code, output) = await RunAsync(test, "migrate");
        var (again, second) = await RunAsync(test, "migrate");

        Assert.Equal(0, code);
        Assert.Contains("migration(s) applied", output);
        Assert.Equal(0, again);
        Assert.Contains("up to date", second);
    }

    [EachDatabase]
    public async Task Import_catalog_prints_a_summary_with_skipped_rows_and_their_reasons(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var path = WriteJsonl(test,
            """{"id": 1, "kind": "movie", "title": "The Matrix", "year": 1999, "genres": ["Science Fiction"], "people": [{"name": "Keanu Reeves", "role": "actor", "character": "Neo"}]}""",
            """{"id": 2, "kind": "series", "title": "Dark", "year": 2017, "platforms": [{"name": "Netflix", "region": "DE", "expires_on": "2030-01-01"}]}""",
            """{"id": 3, "kind": "movie", "title": """,
            "",
            """{"id": 4, "kind": "podcast", "title": "Serial"}""");

        var (code, output) = await RunAsync(test, "import", "catalog", path, "--format", "jsonl");

        Assert.Equal(0, code);
        Assert.Matches(@"read\s+│\s+4", output);
        Assert.Matches(@"imported \(new titles\)\s+│\s+2", output);
        Assert.Matches(@"skipped\s+│\s+2", output);
        Assert.Contains("line 3: invalid JSON", output);
        Assert.Contains("line 5: kind must be 'movie' or 'series', not 'podcast'", output);
        Assert.Contains("rows/s", output);
        Assert.Equal(2L, await CountAsync(test, "titles"));

        var (again, rerun) = await RunAsync(test, "import", "catalog", path, "--format", "jsonl");
        Assert.Equal(0, again);
        Assert.Matches(@"updated \(same source again\)\s+│\s+2", rerun);
        Assert.Equal(2L, await CountAsync(test, "titles"));
    }

    [Fact]
    public async Task Import_catalog_rejects_an_unknown_format_or_a_missing_file()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        var path = WriteJsonl(test, """{"id": 1, "kind": "movie", "title": "X"}""");

        var (code, output) = await RunAsync(test, "import", "catalog", path, "--format", "xml");
        Assert.Equal(1, code);
        Assert.Contains("unknown format 'xml'", output);

        (code, output) = await RunAsync(test, "import", "catalog", "/nonexistent/file.jsonl", "--format", "jsonl");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", output);
    }

    [EachDatabase]
    public async Task Backup_and_restore_bring_back_the_database_as_it_was(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await RunAsync(test, "import", "catalog", WriteJsonl(test, """{"id": 1, "kind": "movie", "title": "Before"}"""), "--format", "jsonl");
        var file = Path.Combine(test.DataDir, "backups-test", "watchlog.backup");

        var (code, output) = await RunAsync(test, "backup", file);
        Assert.Equal(0, code);
        Assert.Contains("Backed up to", output);
        Assert.True(new FileInfo(file).Length > 0);

        await RunAsync(test, "import", "catalog", WriteJsonl(test, """{"id": 2, "kind": "movie", "title": "After"}"""), "--format", "jsonl");
        Assert.Equal(2L, await CountAsync(test, "titles"));

        (code, output) = await RunAsync(test, "restore", file);
        Assert.True(code == 0, output);
        Assert.Contains("Restored from", output);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(["Before"], await conn.QueryAsync<string>("SELECT title FROM titles"));

        (code, output) = await RunAsync(test, "backup", file);
        Assert.Equal(1, code);
        Assert.Contains("already exists", output);
    }

    [Fact]
    public async Task A_sqlite_backup_is_consistent_while_writes_go_on()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
                await test.Db.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO genres (slug, name) VALUES (@s, @s)", new { s = $"w{i}" }, t), CancellationToken.None);
        });
        await Task.Delay(50);
        var file = Path.Combine(test.DataDir, "online.db");

        var (code, _) = await RunAsync(test, "backup", file);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(0, code);
        await using var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.True(await copy.ExecuteScalarAsync<long>("SELECT count(*) FROM genres") > 0);
    }

    [Fact]
    public async Task Restore_refuses_a_file_that_is_not_a_watchlog_backup()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        var junk = Path.Combine(test.DataDir, "junk.db");
        await File.WriteAllTextAsync(junk, "not a database");

        var (code, output) = await RunAsync(test, "restore", junk);

        Assert.Equal(1, code);
        Assert.Contains("is not a Watchlog SQLite backup", output);
    }

    [EachDatabase]
    public async Task A_platform_named_differently_is_the_same_source(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var csv = Path.Combine(test.DataDir, "catalog.csv");
        await File.WriteAllTextAsync(csv, "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description\n" +
                                          "s1,Movie,Roma,Alfonso Cuarón,,Mexico,\"December 14, 2018\",2018,R,135 min,Dramas,A year in the life of a housekeeper.\n");

        var (first, _) = await RunAsync(test, "import", "catalog", csv, "--format", "streaming-csv", "--platform", "Netflix");
        var (second, output) = await RunAsync(test, "import", "catalog", csv, "--format", "streaming-csv", "--platform", "NETFLIX");

        Assert.Equal((0, 0), (first, second));
        Assert.Matches(@"updated \(same source again\)\s+│\s+1", output);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal("streaming-csv:netflix", await conn.ExecuteScalarAsync<string>("SELECT DISTINCT source FROM title_sources"));
    }
}
