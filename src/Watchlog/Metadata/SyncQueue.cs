using Dapper;
using Quartz;
using Watchlog.Data;

namespace Watchlog.Metadata;

/// <summary>
/// Puts title syncs on the Quartz queue. One job key per title (<see cref="SyncTitleJob.Key"/>): a second request for
/// a title already queued, running or waiting to retry finds the job there and adds nothing, on any node, since the
/// store is shared. Works only where the scheduler runs (the server with jobs enabled) and a provider is on.
/// </summary>
public sealed class SyncQueue(Db db, MetadataOptions options, SyncLog log, TimeProvider clock, IServiceProvider services)
{
    public const string Group = "metadata-sync";
    readonly ISchedulerFactory? _schedulers = services.GetService<ISchedulerFactory>();
    readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTime> _recent = new();

    public bool CanQueue => options.AnyProvider && _schedulers is not null;

    /// <summary>Queues a sync; false when one was already queued (or can't be). <paramref name="jitter"/>: wait 0..SyncJitterSeconds first.</summary>
    public async Task<bool> QueueAsync(long titleId, bool jitter, CancellationToken ct)
    {
        if (!CanQueue) return false;
        var scheduler = await _schedulers!.GetScheduler(ct);
        var key = SyncTitleJob.Key(titleId);
        var delay = jitter && options.SyncJitterSeconds > 0 ? TimeSpan.FromSeconds(Random.Shared.NextDouble() * options.SyncJitterSeconds) : TimeSpan.Zero;
        for (var round = 0; round < 3; round++)
        {
            if (await scheduler.Exists(key, ct)) return false;
            var job = JobBuilder.Create<SyncTitleJob>().WithIdentity(key).UsingJobData(SyncTitleJob.TitleIdKey, titleId).RequestRecovery().Build();
            var trigger = TriggerBuilder.Create().ForJob(key).WithIdentity($"sync-title-{titleId}-1", Group)
                .UsingJobData(SyncTitleJob.AttemptKey, 1).StartAt(clock.GetUtcNow() + delay).Build();
            await log.MarkAsync(titleId, "queued", 0, null, ct);
            try
            {
                await scheduler.ScheduleJob(job, trigger, default, ct);
                return true;
            }
            catch (ObjectAlreadyExistsException) { }   // another request (or node) queued it first; unless it just finished, it's there
        }
        return false;
    }

    /// <summary>
    /// An operator's re-sync of a stored title now (no jitter), for <c>POST /api/admin/sync/{id}</c> and the job monitor
    /// page alike; also says the title's name.
    /// </summary>
    public async Task<(Requeue Outcome, string? Title)> RequeueAsync(long titleId, CancellationToken ct)
    {
        string? title;
        await using (var conn = await db.OpenAsync(ct))
            title = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT title FROM titles WHERE id = @titleId", new { titleId }, cancellationToken: ct));
        if (title is null) return (Requeue.NoSuchTitle, null);
        if (!CanQueue) return (Requeue.CannotQueue, title);
        return (await QueueAsync(titleId, jitter: false, ct) ? Requeue.Queued : Requeue.AlreadyQueued, title);
    }

    /// <summary>A refresh of a stored title, at most once per 10 minutes per process (reads call this on every hit).</summary>
    public void RefreshInBackground(long titleId)
    {
        if (!CanQueue) return;
        var now = clock.GetUtcNow().UtcDateTime;
        if (_recent.TryGetValue(titleId, out var last) && now - last < TimeSpan.FromMinutes(10)) return;
        _recent[titleId] = now;
        if (_recent.Count > 100_000) _recent.Clear();
        _ = Task.Run(async () =>
        {
            try { await QueueAsync(titleId, jitter: true, CancellationToken.None); }
            catch (Exception e) when (e is SchedulerException or System.Data.Common.DbException or ObjectDisposedException) { }
        });
    }

    /// <summary>Whether a stored, synced title is due a refresh. Titles never synced (imports) count when they have a provider id.</summary>
    public bool IsStale(DateTime? lastSyncedAt, bool hasProviderId) =>
        options.AnyProvider && hasProviderId && (lastSyncedAt is null || clock.GetUtcNow().UtcDateTime - lastSyncedAt.Value > TimeSpan.FromDays(options.StaleDays));

    /// <summary>
    /// The title for an external reference, made a pending placeholder when missing (one row however many requests
    /// race: the unique indexes decide). Null when the reference can't be looked up.
    /// </summary>
    sealed class TitleState
    {
        public long Id { get; init; }
        public string? SyncState { get; init; }
    }

    public async Task<(long Id, bool Created, bool Pending)?> EnsurePendingAsync(string kind, int? tmdb, int? tvdb, string? imdb, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.WriteAsync<(long, bool, bool)?>(async (conn, tx) =>
        {
            var where = tmdb is not null ? "kind = @kind AND tmdb_id = @tmdb" : tvdb is not null ? "kind = @kind AND tvdb_id = @tvdb" : "imdb_id = @imdb";
            var p = new { kind, tmdb, tvdb, imdb, now };
            // Pending tells the caller whether a sync is still wanted: the title may have been synced since it last looked.
            if (await conn.QuerySingleOrDefaultAsync<TitleState>($"SELECT id, sync_state FROM titles WHERE {where}", p, tx) is { } found)
                return (found.Id, false, found.SyncState == "pending");
            await conn.ExecuteAsync(
                """
                INSERT INTO titles (kind, title, match_key, tmdb_id, tvdb_id, imdb_id, created_at, updated_at, sync_state)
                VALUES (@kind, '', '', @tmdb, @tvdb, @imdb, @now, @now, 'pending') ON CONFLICT DO NOTHING
                """, p, tx);
            var row = await conn.QuerySingleAsync<TitleState>($"SELECT id, sync_state FROM titles WHERE {where}", p, tx);
            return (row.Id, true, row.SyncState == "pending");
        }, ct);
    }
}

public enum Requeue { Queued, AlreadyQueued, NoSuchTitle, CannotQueue }
