using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Watchlog.Data;

namespace Watchlog.Tests.Data;

public class MigrationTests
{
    [Fact]
    public void Both_engines_have_the_same_migrations()
    {
        var sqlite = Migrator.Available(Dialect.Sqlite);
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, Migrator.Available(Dialect.Postgres));
    }

    [EachDatabase]
    public async Task Migrates_an_empty_database_to_head_once(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine, migrated: false);
        var migrator = new Migrator(test.Db, NullLogger<Migrator>.Instance);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrator.Available(test.Dialect), first.Applied);
        Assert.Empty(second.Applied);
        Assert.Empty(await migrator.PendingAsync(CancellationToken.None));
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.True(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM platforms") > 40);
        Assert.Equal("netflix", await conn.ExecuteScalarAsync<string>(
            "SELECT p.slug FROM platform_aliases a JOIN platforms p ON p.id = a.platform_id WHERE a.alias = 'netflix'"));
    }

    [Fact]
    public async Task Copies_an_existing_sqlite_database_aside_before_migrating()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite, migrated: false);
        await using (var conn = await test.Db.OpenAsync(CancellationToken.None))
            await conn.ExecuteAsync("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept')");
        var migrator = new Migrator(test.Db, NullLogger<Migrator>.Instance);

        var result = await migrator.MigrateAsync(CancellationToken.None);

        Assert.NotNull(result.BackupPath);
        Assert.True(File.Exists(result.BackupPath));
        await using var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={result.BackupPath};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        Assert.Equal("kept", await copy.ExecuteScalarAsync<string>("SELECT body FROM notes"));
        Assert.Equal(0L, await copy.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'titles'"));
    }

    [Fact]
    public async Task A_fresh_sqlite_database_is_not_copied_and_runs_in_wal_mode()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite, migrated: false);
        var result = await new Migrator(test.Db, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

        Assert.Null(result.BackupPath);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await conn.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }
}
