using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Watchlog.Data;

/// <summary>
/// SQLite allows one writer at a time. Instead of letting request threads race for the lock (and meet
/// "database is locked"), every write is queued here and run on one connection. Whatever is queued
/// when the writer wakes up is committed in one transaction (group commit), each piece in its own
/// savepoint; a caller's task completes only after the commit.
/// </summary>
sealed class SqliteWriter : IAsyncDisposable
{
    const int MaxBatch = 256;
    readonly Channel<IWriteOp> _queue = Channel.CreateUnbounded<IWriteOp>(new UnboundedChannelOptions { SingleReader = true });
    readonly string _connectionString;
    readonly Task _loop;

    public SqliteWriter(string connectionString)
    {
        _connectionString = connectionString;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var op = new WriteOp<T>(work, ct);
        if (!_queue.Writer.TryWrite(op)) throw new ObjectDisposedException(nameof(SqliteWriter), "The database writer has stopped.");
        return op.Completion.Task;
    }

    async Task RunAsync()
    {
        SqliteConnection? conn = null;
        var batch = new List<IWriteOp>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var op))
                {
                    if (op.CancellationToken.IsCancellationRequested) op.Cancel();
                    else batch.Add(op);
                }
                if (batch.Count == 0) continue;

                try
                {
                    conn ??= await OpenAsync();
                    await RunBatchAsync(conn, batch);
                }
                catch (Exception e)
                {
                    // The transaction itself failed (BEGIN or COMMIT): nothing in it was written.
                    foreach (var op in batch) op.FailIfPending(e);
                    if (conn is not null) { await conn.DisposeAsync(); conn = null; }
                }
            }
        }
        finally
        {
            if (conn is not null) await conn.DisposeAsync();
        }
    }

    async Task<SqliteConnection> OpenAsync()
    {
        // Not pooled: this connection lives as long as the writer, and the pragmas below are per connection.
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        await conn.OpenAsync();
        // WAL with synchronous=NORMAL: a commit appends to the WAL without fsync; durability comes at checkpoints.
        // Checkpointing every 1000 pages (the default) made each import batch's commit cost ~200 ms of page copies
        // and fsync (measured: docs/benchmarks.md); every 10,000 pages (~40 MB of WAL) it is ~15 ms. The 64 MB page
        // cache keeps the indexes that imports touch at random in memory.
        await conn.ExecuteAsync("PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000; PRAGMA cache_size=-65536;");
        return conn;
    }

    static async Task RunBatchAsync(SqliteConnection conn, List<IWriteOp> batch)
    {
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync();
        var done = new List<IWriteOp>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var op = batch[i];
            if (batch.Count == 1)
            {
                // Alone in the transaction: no savepoint needed, a failure rolls the whole thing back.
                if (await op.RunAsync(conn, tx)) done.Add(op);
                else { await tx.RollbackAsync(); return; }
                continue;
            }
            await conn.ExecuteAsync("SAVEPOINT w", transaction: tx);
            if (await op.RunAsync(conn, tx))
            {
                await conn.ExecuteAsync("RELEASE w", transaction: tx);
                done.Add(op);
            }
            else
            {
                await conn.ExecuteAsync("ROLLBACK TO w; RELEASE w", transaction: tx);
            }
        }
        await tx.CommitAsync();
        foreach (var op in done) op.Publish();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    interface IWriteOp
    {
        CancellationToken CancellationToken { get; }
        /// <summary>Runs the work; false (with the exception recorded) when it threw.</summary>
        Task<bool> RunAsync(DbConnection conn, DbTransaction tx);
        void Publish();
        void Cancel();
        void FailIfPending(Exception e);
    }

    sealed class WriteOp<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) : IWriteOp
    {
        T? _result;
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationToken CancellationToken => ct;

        public async Task<bool> RunAsync(DbConnection conn, DbTransaction tx)
        {
            try
            {
                _result = await work(conn, tx);
                return true;
            }
            catch (Exception e)
            {
                Completion.TrySetException(e);
                return false;
            }
        }

        public void Publish() => Completion.TrySetResult(_result!);
        public void Cancel() => Completion.TrySetCanceled(ct);
        public void FailIfPending(Exception e) => Completion.TrySetException(e);
    }
}
