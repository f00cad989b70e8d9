using Dapper;

namespace Watchlog.Tests.Data;

public class WriterTests
{
    [EachDatabase]
    public async Task A_burst_of_concurrent_writers_all_commit(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);

        var writes = Enumerable.Range(1, 300).Select(i => Task.Run(() => test.Db.WriteAsync((conn, tx) =>
            conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES (@slug, @name)", new { slug = $"g{i}", name = $"Genre {i}" }, tx),
            CancellationToken.None)));
        await Task.WhenAll(writes);

        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(300L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM genres WHERE slug LIKE 'g%'"));
    }

    [EachDatabase]
    public async Task A_write_is_visible_to_readers_as_soon_as_it_returns(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        for (var i = 0; i < 20; i++)
        {
            await test.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES (@s, @s)", new { s = $"v{i}" }, tx), CancellationToken.None);
            await using var conn = await test.Db.OpenAsync(CancellationToken.None);
            Assert.Equal(1L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM genres WHERE slug = @s", new { s = $"v{i}" }));
        }
    }

    [EachDatabase]
    public async Task A_failing_write_undoes_only_itself(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        // The row the bad write collides with exists beforehand: colliding with one of the concurrent good writes made the
        // outcome depend on which committed first (on PostgreSQL the good one could lose).
        await test.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('taken', 'taken')", transaction: tx), CancellationToken.None);
        var good = Enumerable.Range(0, 50).Select(i => test.Db.WriteAsync((conn, tx) =>
            conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES (@s, @s)", new { s = $"ok{i}" }, tx), CancellationToken.None)).ToList();
        var bad = test.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('half', 'half')", transaction: tx);
            await conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('taken', 'duplicate')", transaction: tx); // unique violation
        }, CancellationToken.None);

        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => bad);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(50L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM genres WHERE slug LIKE 'ok%'"));
        Assert.Equal(0L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM genres WHERE slug = 'half'"));
    }

    [Fact]
    public async Task A_second_process_writing_the_same_sqlite_file_waits_instead_of_failing()
    {
        await using var test = await TestDb.CreateAsync(Engine.Sqlite);
        await using var other = Watchlog.Data.Db.Create(Watchlog.Data.Dialect.Sqlite, test.ConnectionString); // as the CLI beside a server

        var a = Enumerable.Range(0, 100).Select(i => test.Db.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO genres (slug, name) VALUES (@s, @s)", new { s = $"a{i}" }, t), CancellationToken.None));
        var b = Enumerable.Range(0, 100).Select(i => other.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO genres (slug, name) VALUES (@s, @s)", new { s = $"b{i}" }, t), CancellationToken.None));
        await Task.WhenAll(a.Concat(b));

        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(200L, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM genres WHERE slug LIKE 'a%' OR slug LIKE 'b%'"));
    }

    /// <summary>
    /// Two writers take the same two rows in opposite order and wait for each other on their first attempt, so PostgreSQL
    /// must abort one. A plain write fails with the deadlock; a retrying one runs again and both land.
    /// </summary>
    [PostgresOnly]
    public async Task A_write_aborted_to_break_a_deadlock_runs_again_when_it_may()
    {
        await using var test = await TestDb.CreateAsync(Engine.Postgres);
        await test.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('x', 'x'), ('y', 'y')", transaction: tx), CancellationToken.None);

        var plain = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => CrossedWritesAsync(test.Db, retrying: false, "plain"));
        Assert.Equal(Npgsql.PostgresErrorCodes.DeadlockDetected, plain.SqlState);
        Assert.Equal(0, test.Db.ConflictRetries);

        var attempts = await CrossedWritesAsync(test.Db, retrying: true, "retried");
        Assert.Equal(3, attempts);   // two first attempts, one of them aborted and run again
        Assert.Equal(1, test.Db.ConflictRetries);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        // The attempt run again commits last: both rows hold its name.
        var names = (await conn.QueryAsync<string>("SELECT name FROM genres WHERE slug IN ('x', 'y')")).Distinct().ToList();
        Assert.Single(names);
        Assert.Matches("^retried-[xy]-first/3$", names[0]);
    }

    /// <returns>How many attempts the two writes made in all.</returns>
    static async Task<int> CrossedWritesAsync(Watchlog.Data.Db db, bool retrying, string tag)
    {
        var locked = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var attempts = 0;
        async Task Writer(int me, string first, string second)
        {
            Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task> work = async (conn, tx) =>
            {
                var attempt = Interlocked.Increment(ref attempts);
                var name = $"{tag}-{first}-first/{attempt}";
                await conn.ExecuteAsync("UPDATE genres SET name = @name WHERE slug = @first", new { name, first }, tx);
                if (!locked[me].Task.IsCompleted)
                {
                    locked[me].TrySetResult();
                    await locked[1 - me].Task.WaitAsync(TimeSpan.FromSeconds(30));
                }
                await conn.ExecuteAsync("UPDATE genres SET name = @name WHERE slug = @second", new { name, second }, tx);
            };
            if (retrying) await db.WriteRetryingAsync(work, CancellationToken.None);
            else await db.WriteAsync(work, CancellationToken.None);
        }
        await Task.WhenAll(Task.Run(() => Writer(0, "x", "y")), Task.Run(() => Writer(1, "y", "x")));
        return attempts;
    }
}
