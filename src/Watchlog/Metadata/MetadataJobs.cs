using Dapper;
using Quartz;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.Metadata;

/// <summary>
/// Syncs one title. One job key per title and <see cref="DisallowConcurrentExecutionAttribute"/> (per key, across the
/// cluster): never two syncs of a title at once. A transient failure schedules another trigger of the same job with
/// exponential backoff and jitter, up to <see cref="MetadataOptions.MaxAttempts"/> runs in all. Recoverable: a run cut
/// short by a crash is fired again (by the next start, or by another node).
/// </summary>
[DisallowConcurrentExecution]
public sealed class SyncTitleJob(TitleSync sync, MetadataOptions options, TimeProvider clock, ILogger<SyncTitleJob> log) : IJob
{
    public const string TitleIdKey = "title_id", AttemptKey = "attempt";

    public static JobKey Key(long titleId) => new($"sync-title-{titleId}", SyncQueue.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var data = context.MergedJobDataMap;
        var titleId = data.GetLong(TitleIdKey);
        var attempt = data.ContainsKey(AttemptKey) ? data.GetInt(AttemptKey) : 1;
        if (context.Recovering) log.LogInformation("Recovering the sync of title {TitleId} (attempt {Attempt}) after a crash", titleId, attempt);
        await sync.MarkRunningAsync(titleId, attempt, ct);
        var outcome = await sync.SyncAsync(titleId, attempt, finalAttempt: attempt >= options.MaxAttempts, ct);
        if (outcome is { Status: SyncStatus.Failed, Transient: true } && attempt < options.MaxAttempts)
        {
            var backoff = TimeSpan.FromSeconds(options.RetryBaseSeconds * Math.Pow(2, attempt - 1) * (0.8 + Random.Shared.NextDouble() * 0.4));
            var retry = TriggerBuilder.Create().ForJob(context.JobDetail.Key).WithIdentity($"sync-title-{titleId}-{attempt + 1}", SyncQueue.Group)
                .UsingJobData(AttemptKey, attempt + 1).StartAt(clock.GetUtcNow() + backoff).Build();
            try { await context.Scheduler.ScheduleJob(retry, default, ct); }
            catch (ObjectAlreadyExistsException) { }   // a recovered run already scheduled this retry
        }
    }
}

/// <summary>Weekly: queues a refresh of titles not synced for <see cref="MetadataOptions.StaleDays"/> days, in batches.</summary>
[DisallowConcurrentExecution]
public sealed class StaleRefreshJob(StaleTitles stale, SyncQueue queue, ILogger<StaleRefreshJob> log) : IJob
{
    public static readonly JobKey Key = new("stale-refresh", "metadata");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var queued = 0;
        long after = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = await stale.NextBatchAsync(after, ct);
            if (batch.Count == 0) break;
            foreach (var id in batch)
                if (await queue.QueueAsync(id, jitter: true, ct)) queued++;
            after = batch[^1];
        }
        log.LogInformation("Stale refresh: queued {Count} title sync(s)", queued);
    }
}

/// <summary>Titles due a refresh: synced before the threshold (or never) and known to a provider, by id, in batches.</summary>
public sealed class StaleTitles(Db db, MetadataOptions options, TimeProvider clock)
{
    public async Task<IReadOnlyList<long>> NextBatchAsync(long afterId, CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-options.StaleDays);
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT id FROM titles
            WHERE id > @afterId AND (last_synced_at IS NULL OR last_synced_at < @before)
              AND ({(options.Tmdb.Enabled ? "tmdb_id IS NOT NULL OR imdb_id IS NOT NULL" : "1 = 0")} {(options.Tvdb.Enabled ? "OR tvdb_id IS NOT NULL OR imdb_id IS NOT NULL" : "")})
            ORDER BY id LIMIT @limit
            """, new { afterId, before, limit = options.StaleBatchSize }, cancellationToken: ct))).ToList();
    }
}

/// <summary>Weekly: refreshes people (biography, dates, place of birth, filmography in raw) not synced for 14+ days.</summary>
[DisallowConcurrentExecution]
public sealed class PeopleRefreshJob(PeopleSync people, ILogger<PeopleRefreshJob> log) : IJob
{
    public static readonly JobKey Key = new("people-refresh", "metadata");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var (done, failed) = await people.RefreshStaleAsync(int.MaxValue, ct);
        log.LogInformation("People refresh: {Done} refreshed, {Failed} failed", done, failed);
    }
}

public sealed class PeopleSync(Db db, TmdbClient tmdb, SyncLog log, TitleCache titles, MetadataOptions options, TimeProvider clock)
{
    public async Task<(int Done, int Failed)> RefreshStaleAsync(int max, CancellationToken ct)
    {
        if (!tmdb.Enabled) return (0, 0);
        var done = 0;
        var failed = 0;
        long after = 0;
        while (done + failed < max && !ct.IsCancellationRequested)
        {
            var before = clock.GetUtcNow().UtcDateTime.AddDays(-options.PeopleStaleDays);
            List<(long Id, int TmdbId)> batch;
            await using (var conn = await db.OpenAsync(ct))
                batch = (await conn.QueryAsync<(long, int)>(new CommandDefinition(
                    """
                    SELECT id, tmdb_id FROM people WHERE id > @after AND tmdb_id IS NOT NULL AND (last_synced_at IS NULL OR last_synced_at < @before)
                    ORDER BY id LIMIT @limit
                    """, new { after, before, limit = options.StaleBatchSize }, cancellationToken: ct))).ToList();
            if (batch.Count == 0) break;
            foreach (var (id, tmdbId) in batch)
            {
                if (await RefreshAsync(id, tmdbId, ct)) done++; else failed++;
                if (done + failed >= max) break;
            }
            after = batch[^1].Id;
        }
        return (done, failed);
    }

    public async Task<bool> RefreshAsync(long personId, int tmdbId, CancellationToken ct)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string? error = null;
        var status = "succeeded";
        try
        {
            var p = await tmdb.GetPersonAsync(tmdbId, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            // The titles crediting them show their name: bypassed in the title cache until the write is done.
            List<long> credited;
            await using (var read = await db.OpenAsync(ct))
                credited = (await read.QueryAsync<long>(new CommandDefinition(
                    "SELECT DISTINCT title_id FROM credits WHERE person_id = @personId", new { personId }, cancellationToken: ct))).AsList();
            using var scope = titles.BeginWrite(credited);
            // A title sync writing the same people and titles in the other order can deadlock with this (PostgreSQL).
            await db.WriteRetryingAsync(async (conn, tx) =>
            {
                if (p is null)
                {
                    await conn.ExecuteAsync("UPDATE people SET last_synced_at = @now WHERE id = @personId", new { now, personId }, tx);
                    return;
                }
                if (await conn.ExecuteScalarAsync<string>("SELECT name FROM people WHERE id = @personId", new { personId }, tx) is { } name && name != p.Name)
                    scope.Changed(await CatalogImportSession.TouchTitlesCreditingAsync(conn, tx, new Bulk(conn, tx, db.Dialect), [personId], now));
                // An IMDb id another person row already holds stays there; everything else is the provider's.
                await conn.ExecuteAsync(db.Pick(
                    sqlite: """
                        UPDATE people SET name = @Name, match_key = @key, biography = @Biography, birth_date = @Birthday, death_date = @Deathday,
                            birth_year = @by, death_year = @dy, birth_place = @BirthPlace, profile = COALESCE(@Profile, profile), popularity = @Popularity,
                            imdb_id = COALESCE(imdb_id, (SELECT @ImdbId WHERE NOT EXISTS (SELECT 1 FROM people WHERE imdb_id = @ImdbId))),
                            raw = @Raw, last_synced_at = @now, updated_at = @now WHERE id = @personId
                        """,
                    postgres: """
                        UPDATE people SET name = @Name, match_key = @key, biography = @Biography, birth_date = @Birthday, death_date = @Deathday,
                            birth_year = @by, death_year = @dy, birth_place = @BirthPlace, profile = COALESCE(@Profile, profile), popularity = @Popularity,
                            imdb_id = COALESCE(imdb_id, (SELECT @ImdbId WHERE NOT EXISTS (SELECT 1 FROM people WHERE imdb_id = @ImdbId))),
                            raw = @Raw::jsonb, last_synced_at = @now, updated_at = @now WHERE id = @personId
                        """),
                    new { p.Name, key = Normalize.MatchKey(p.Name), p.Biography, p.Birthday, p.Deathday, by = p.Birthday?.Year, dy = p.Deathday?.Year,
                          p.BirthPlace, p.Profile, p.Popularity, p.ImdbId, p.Raw, now, personId }, tx);
            }, ct);
            if (p is null) status = "not_found";
        }
        catch (ProviderException e) { status = "failed"; error = e.Message; }
        // One person the database still refuses (a conflict past the retries) is logged; the refresh goes on with the rest.
        catch (System.Data.Common.DbException e) when (!ct.IsCancellationRequested) { status = "failed"; error = e.Message; }
        await log.AddAsync(new SyncLogEntry
        {
            Provider = "tmdb", Entity = "person", EntityId = personId.ToString(System.Globalization.CultureInfo.InvariantCulture), Status = status,
            StartedAt = started, DurationMs = (int)watch.ElapsedMilliseconds, Attempts = 1, Error = error,
        }, ct);
        return status != "failed";
    }
}

/// <summary>Monthly: deletes sync-log entries older than <see cref="MetadataOptions.SyncLogRetentionDays"/> days.</summary>
[DisallowConcurrentExecution]
public sealed class SyncLogCleanupJob(SyncLog syncLog, MetadataOptions options, TimeProvider clock, ILogger<SyncLogCleanupJob> log) : IJob
{
    public static readonly JobKey Key = new("sync-log-cleanup", "metadata");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var deleted = await syncLog.DeleteOlderThanAsync(clock.GetUtcNow().UtcDateTime.AddDays(-options.SyncLogRetentionDays), ct);
        log.LogInformation("Sync log clean-up: {Count} entries older than {Days} days deleted", deleted, options.SyncLogRetentionDays);
    }
}

/// <summary>
/// Finds a title a history import couldn't match: searches the providers by title, kind and year, and when exactly one
/// result has the same normalized title and year, makes it a pending title and queues its sync.
/// </summary>
[DisallowConcurrentExecution]
public sealed class LookupTitleJob(TitleFetcher fetcher, SyncQueue queue, SyncLog syncLog, TimeProvider clock) : IJob
{
    public static JobKey Key(string kind, string title, int? year) => new($"lookup-{kind}-{Normalize.MatchKey(title)}-{year}", "metadata-lookup");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var data = context.MergedJobDataMap;
        var kind = data.GetString("kind")!;
        var title = data.GetString("title")!;
        int? year = data.ContainsKey("year") ? data.GetInt("year") : null;
        var started = clock.GetUtcNow().UtcDateTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var source = fetcher.Tmdb.Enabled ? (IMetadataSource)fetcher.Tmdb : fetcher.Tvdb;
        string status = "not_found", error = "no single provider result with this title and year";
        long? titleId = null;
        try
        {
            var key = Normalize.MatchKey(title);
            var hits = (await source.SearchAsync(title, kind, year, ct))
                .Where(r => r.Kind == kind && Normalize.MatchKey(r.Title) == key && (year is null || r.Year == year)).ToList();
            if (hits.Count == 1)
            {
                var hit = hits[0];
                var pending = await queue.EnsurePendingAsync(kind, source.Name == "tmdb" ? hit.ProviderId : null, source.Name == "tvdb" ? hit.ProviderId : null, null, ct);
                if (pending is { } p)
                {
                    titleId = p.Id;
                    if (p.Created) await queue.QueueAsync(p.Id, jitter: true, ct);
                    status = "succeeded";
                    error = "";
                }
            }
        }
        catch (ProviderException e) { status = "failed"; error = e.Message; }
        await syncLog.AddAsync(new SyncLogEntry
        {
            Provider = source.Name, Entity = "lookup", EntityId = $"{kind}:{title}:{year}", TitleId = titleId, Status = status,
            StartedAt = started, DurationMs = (int)watch.ElapsedMilliseconds, Attempts = 1, Error = error.Length == 0 ? null : error,
        }, ct);
    }
}

/// <summary>History imports hand over titles they couldn't match (the seam in History/Matcher.cs): each is looked up in the background.</summary>
public sealed class MissingTitleQueue(SyncQueue queue, IServiceProvider services) : History.IMissingTitleQueue
{
    public async Task QueueAsync(IReadOnlyList<(string Kind, string Title, int? Year)> titles, CancellationToken ct)
    {
        if (!queue.CanQueue || services.GetService<ISchedulerFactory>() is not { } factory) return;
        var scheduler = await factory.GetScheduler(ct);
        foreach (var (kind, title, year) in titles.Take(1000))
        {
            if (Normalize.MatchKey(title).Length == 0) continue;
            var key = LookupTitleJob.Key(kind, title, year);
            var job = JobBuilder.Create<LookupTitleJob>().WithIdentity(key).UsingJobData("kind", kind).UsingJobData("title", title).RequestRecovery();
            if (year is { } y) job = job.UsingJobData("year", y);
            var trigger = TriggerBuilder.Create().ForJob(key).StartAt(DateTimeOffset.UtcNow.AddSeconds(Random.Shared.NextDouble() * 5)).Build();
            try { await scheduler.ScheduleJob(job.Build(), trigger, default, ct); }
            catch (ObjectAlreadyExistsException) { }
        }
    }
}
