using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Metadata;

/// <summary>One row of the sync log: a title, person or lookup sync attempt and how it ended.</summary>
public sealed record SyncLogEntry
{
    public long Id { get; init; }
    public string Provider { get; init; } = "";
    public string Entity { get; init; } = "";
    public string EntityId { get; init; } = "";
    public long? TitleId { get; init; }
    public string Status { get; init; } = "";
    public DateTime StartedAt { get; init; }
    public int DurationMs { get; init; }
    public int Attempts { get; init; }
    public string? Node { get; init; }
    public string? Error { get; init; }
    /// <summary>The title's name when the entry is about a stored title (read only: not a sync-log column).</summary>
    public string? TitleName { get; init; }
}

/// <summary>
/// The sync log and the per-title sync state (sync_jobs) the monitor counts. Both are written by the jobs; the log is
/// cleaned up by <see cref="SyncLogCleanupJob"/>.
/// </summary>
public sealed class SyncLog(Db db, TimeProvider clock)
{
    public static readonly string Node = $"{Environment.MachineName}-{Environment.ProcessId}";

    const string Insert = """
        INSERT INTO sync_log (provider, entity, entity_id, title_id, status, started_at, duration_ms, attempts, node, error)
        VALUES (@Provider, @Entity, @EntityId, @TitleId, @Status, @StartedAt, @DurationMs, @Attempts, @Node, @Error)
        """;

    public Task AddAsync(SyncLogEntry entry, CancellationToken ct) =>
        db.WriteAsync((conn, tx) => AddAsync(conn, tx, entry), ct);

    public static Task AddAsync(DbConnection conn, DbTransaction tx, SyncLogEntry entry) =>
        conn.ExecuteAsync(Insert, entry with { Error = Trim(entry.Error), Node = entry.Node ?? Node }, tx);

    static string? Trim(string? error) => error is { Length: > 2000 } ? error[..2000] : error;

    /// <summary>Sets a title's sync state; 'queued' never overwrites a sync that is running or waiting to retry.</summary>
    public Task MarkAsync(long titleId, string state, int attempts, string? error, CancellationToken ct) =>
        db.WriteAsync((conn, tx) => MarkAsync(conn, tx, titleId, state, attempts, error, clock.GetUtcNow().UtcDateTime), ct);

    public static Task MarkAsync(DbConnection conn, DbTransaction tx, long titleId, string state, int attempts, string? error, DateTime now) =>
        conn.ExecuteAsync(
            state == "queued"
                ? """
                  INSERT INTO sync_jobs (title_id, state, attempts, queued_at, updated_at) SELECT @titleId, 'queued', 0, @now, @now
                  WHERE EXISTS (SELECT 1 FROM titles WHERE id = @titleId)
                  ON CONFLICT (title_id) DO UPDATE SET state = 'queued', attempts = 0, queued_at = excluded.queued_at, updated_at = excluded.updated_at, error = NULL
                  WHERE sync_jobs.state NOT IN ('running', 'retrying')
                  """
                : """
                  INSERT INTO sync_jobs (title_id, state, attempts, queued_at, updated_at, error) SELECT @titleId, @state, @attempts, @now, @now, @error
                  WHERE EXISTS (SELECT 1 FROM titles WHERE id = @titleId)
                  ON CONFLICT (title_id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts, updated_at = excluded.updated_at, error = excluded.error
                  """,
            new { titleId, state, attempts, error = Trim(error), now }, tx);

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, count(*) FROM sync_jobs GROUP BY state", cancellationToken: ct));
        var counts = new Dictionary<string, long> { ["queued"] = 0, ["running"] = 0, ["retrying"] = 0, ["succeeded"] = 0, ["failed"] = 0 };
        foreach (var (state, count) in rows) counts[state] = count;
        return counts;
    }

    public async Task<IReadOnlyList<SyncLogEntry>> RecentAsync(int limit, string? status, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<SyncLogEntry>(new CommandDefinition(
            $"""
            SELECT l.*, t.title AS title_name FROM sync_log l LEFT JOIN titles t ON t.id = l.title_id
            {(status is null ? "" : "WHERE l.status = @status")} ORDER BY l.id DESC LIMIT @limit
            """,
            new { limit, status }, cancellationToken: ct))).ToList();
    }

    /// <summary>Whether a provider said "no such title" for this reference since <paramref name="since"/>.</summary>
    public async Task<bool> NotFoundSinceAsync(string entityId, DateTime since, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sync_log WHERE entity = 'lookup' AND entity_id = @entityId AND status = 'not_found' AND started_at >= @since",
            new { entityId, since }, cancellationToken: ct)) > 0;
    }

    public Task<int> DeleteOlderThanAsync(DateTime before, CancellationToken ct) =>
        db.WriteAsync((conn, tx) => conn.ExecuteAsync("DELETE FROM sync_log WHERE started_at < @before", new { before }, tx), ct);
}
