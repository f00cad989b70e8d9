using Dapper;
using Microsoft.Data.Sqlite;
using Watchlog.Data;

namespace Watchlog.Tests.Data;

/// <summary>SQLite only: the statement cache and the process settings have no PostgreSQL counterpart (Npgsql prepares by itself).</summary>
public class SqliteStatementsTests
{
    const string ByPrefix = "SELECT slug FROM genres WHERE slug LIKE @prefix || '%' AND (@max IS NULL OR length(slug) <= @max) ORDER BY slug";

    [Fact]
    public async Task A_kept_statement_binds_each_run_afresh_and_sees_later_writes()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('kept-a', 'A'), ('kept-bb', 'B')", transaction: tx), CancellationToken.None);

        List<string> Run(SqliteConnection conn, string prefix, long? max) =>
            SqliteStatements.Query(conn, ByPrefix, [("@prefix", prefix), ("@max", max)], s => SqliteStatements.Text(s, 0));

        await using (var conn = (SqliteConnection)await test.Db.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(["kept-a", "kept-bb"], Run(conn, "kept-", null));
            Assert.Equal(["kept-a"], Run(conn, "kept-", 6));       // the earlier run's bindings are gone
            Assert.Equal(["kept-a", "kept-bb"], Run(conn, "kept-", null));
        }
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('kept-c', 'C')", transaction: tx), CancellationToken.None);
        await using (var conn = (SqliteConnection)await test.Db.OpenAsync(CancellationToken.None)) // the pool hands back the same native connection
            Assert.Equal(["kept-a", "kept-bb", "kept-c"], Run(conn, "kept-", null));
    }

    [Fact]
    public async Task A_list_parameter_is_one_statement_whatever_its_length_and_errors_name_the_cause()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await test.Db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('l1', '1'), ('l2', '2'), ('l\"3', '3')", transaction: tx), CancellationToken.None);
        await using var conn = (SqliteConnection)await test.Db.OpenAsync(CancellationToken.None);
        const string sql = "SELECT slug FROM genres WHERE slug IN (SELECT value FROM json_each(@slugs)) ORDER BY slug";
        List<string> In(params string[] slugs) => SqliteStatements.Query(conn, sql, [("@slugs", SqliteStatements.JsonArray(slugs))], s => SqliteStatements.Text(s, 0));
        Assert.Equal(["l1"], In("l1"));
        Assert.Equal(["l\"3", "l1", "l2"], In("l1", "l2", "l\"3", "missing"));
        Assert.Empty(In());

        var error = Assert.Throws<SqliteException>(() => SqliteStatements.Query(conn, "SELECT nope FROM genres", [], s => 0));
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public async Task Memory_statistics_are_off_so_allocations_share_no_lock()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.True(await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master") > 0);
        Assert.Equal(0L, SQLitePCL.raw.sqlite3_memory_used()); // counted only while SQLITE_CONFIG_MEMSTATUS is on
    }
}
