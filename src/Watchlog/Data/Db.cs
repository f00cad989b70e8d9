using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Watchlog.Data;

/// <summary>
/// The one way to reach the database. Reads open a pooled connection per operation; writes go through
/// <see cref="WriteAsync{T}"/>, which on SQLite queues them on the single batching writer and on PostgreSQL
/// runs them in a short transaction on a pooled connection. A write returns only after its commit.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    readonly DbDataSource _source;
    readonly SqliteWriter? _writer;

    Db(Dialect dialect, DbDataSource source, string connectionString, string? sqlitePath)
    {
        Dialect = dialect;
        _source = source;
        ConnectionString = connectionString;
        SqlitePath = sqlitePath;
        if (dialect == Dialect.Sqlite) _writer = new SqliteWriter(connectionString);
    }

    public Dialect Dialect { get; }
    public string ConnectionString { get; }

    /// <summary>The database file, on SQLite.</summary>
    public string? SqlitePath { get; }

    public static Db Create(Dialect dialect, string connectionString)
    {
        TypeHandlers.Register();
        if (dialect == Dialect.Postgres)
        {
            var pg = new NpgsqlDataSourceBuilder(WithPreparedStatements(connectionString)).Build();
            return new Db(dialect, pg, connectionString, null);
        }

        SqliteNative.Init();   // no-op when the host already chose the library
        var csb = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        };
        var path = Path.GetFullPath(csb.DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        csb.DataSource = path;
        var cs = csb.ToString();
        return new Db(dialect, SqliteFactory.Instance.CreateDataSource(cs), cs, path);
    }

    /// <summary>
    /// Unless the connection string says otherwise: statements run twice on a connection are prepared (parsed once per
    /// connection instead of on every request), yet still planned with each request's values (plan_cache_mode), so a
    /// generic plan built once can never go stale for one user's data.
    /// </summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var given = connectionString.Split(';').Select(part => part.Split('=')[0].Replace(" ", "").ToLowerInvariant()).ToHashSet();
        if (!given.Contains("maxautoprepare")) { csb.MaxAutoPrepare = 200; csb.AutoPrepareMinUsages = 2; }
        if (!given.Contains("options")) csb.Options = "-c plan_cache_mode=force_custom_plan";
        return csb.ToString();
    }

    public string Pick(string sqlite, string postgres) => Dialect == Dialect.Sqlite ? sqlite : postgres;

    /// <summary>An open connection for reading; dispose it when done.</summary>
    public async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        var conn = await _source.OpenConnectionAsync(ct);
        return conn;
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a transaction and returns after it commits. On SQLite the work shares
    /// a transaction with other queued writes (each inside its own savepoint, so one failure never undoes another);
    /// it must do only short database work with the given connection and transaction, never wait on the network.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_writer is not null) return _writer.EnqueueAsync(work, ct);
        return WritePostgresAsync(work, ct);
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, ct);

    /// <summary>
    /// <see cref="WriteAsync{T}"/> for work that may run again from the start: on PostgreSQL, when the database aborts it
    /// to break a deadlock (40P01) or a serialization conflict (40001) with another writer, it runs again in a new
    /// transaction after a short random pause, up to <see cref="ConflictAttempts"/> times. Whatever the work changes
    /// outside the database must not remember an attempt that rolled back. (SQLite's single writer never deadlocks.)
    /// </summary>
    public async Task<T> WriteRetryingAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_writer is not null) return await _writer.EnqueueAsync(work, ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WritePostgresAsync(work, ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                              && attempt < ConflictAttempts && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _conflictRetries);
                await Task.Delay(Random.Shared.Next(10, 50 * attempt), ct);
            }
        }
    }

    public Task WriteRetryingAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct) =>
        WriteRetryingAsync<bool>(async (c, t) => { await work(c, t); return true; }, ct);

    /// <summary>How many times <see cref="WriteRetryingAsync{T}"/> runs work the database keeps aborting.</summary>
    public const int ConflictAttempts = 4;

    /// <summary>Attempts <see cref="WriteRetryingAsync{T}"/> ran again after a deadlock or conflict (read by tests).</summary>
    public long ConflictRetries => Interlocked.Read(ref _conflictRetries);

    long _conflictRetries;

    async Task<T> WritePostgresAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var conn = await _source.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await work(conn, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null) await _writer.DisposeAsync();
        await _source.DisposeAsync();
        if (Dialect == Dialect.Sqlite) SqliteConnection.ClearAllPools();
    }
}
