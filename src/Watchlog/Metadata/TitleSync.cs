using System.Diagnostics;
using Dapper;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.Metadata;

public enum SyncStatus { Succeeded, NotFound, Failed }

/// <param name="Transient">A failure worth retrying (provider down, rate-limited, timed out).</param>
public sealed record SyncOutcome(SyncStatus Status, long TitleId, bool Transient, string? Error, string Providers, int DurationMs);

/// <summary>
/// Syncs one title: reads its ids, fetches from the providers (no transaction open while waiting on them), writes the
/// whole title in one transaction and logs the attempt in the sync log. Never throws for a provider's failure: the
/// outcome says what happened and whether a retry may help.
/// </summary>
public sealed class TitleSync(Db db, TitleFetcher fetcher, CatalogWriter catalog, SyncLog log, TitleCache titles, TimeProvider clock, ILogger<TitleSync> logger)
{
    sealed class Stored
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string? SyncState { get; init; }
        public int? TmdbId { get; init; }
        public int? TvdbId { get; init; }
        public string? ImdbId { get; init; }
    }

    /// <summary>The reference a pending title was created from ("tmdb:series:1396", "imdb:tt0903747").</summary>
    public static string Reference(string kind, int? tmdb, int? tvdb, string? imdb) =>
        tmdb is { } m ? $"tmdb:{kind}:{m}" : tvdb is { } v ? $"tvdb:{kind}:{v}" : $"imdb:{imdb}";

    public Task MarkRunningAsync(long titleId, int attempt, CancellationToken ct) => log.MarkAsync(titleId, "running", attempt, null, ct);

    public async Task<SyncOutcome> SyncAsync(long titleId, int attempt, bool finalAttempt, CancellationToken ct)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        var watch = Stopwatch.StartNew();
        Stored? t;
        await using (var conn = await db.OpenAsync(ct))
            t = await conn.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(
                "SELECT id, kind, sync_state, tmdb_id, tvdb_id, imdb_id FROM titles WHERE id = @titleId", new { titleId }, cancellationToken: ct));
        if (t is null) return new SyncOutcome(SyncStatus.NotFound, titleId, false, $"title {titleId} doesn't exist", "", 0);

        var providers = fetcher.Tmdb.Enabled ? "tmdb" : "tvdb";
        var reference = Reference(t.Kind, t.TmdbId, t.TvdbId, t.ImdbId);
        try
        {
            if (!fetcher.AnyEnabled) throw new ProviderException("metadata", "no provider is configured", transient: false);
            // A placeholder made from an IMDb id alone doesn't know its kind yet; the provider says.
            var kindKnown = !(t.SyncState == "pending" && t.TmdbId is null && t.TvdbId is null);
            var (used, fetched) = await fetcher.FetchAsync(new TitleFetcher.Keys(t.Kind, t.TmdbId, t.TvdbId, t.ImdbId), kindKnown, ct);
            providers = used;
            if (fetched is null)
            {
                var ms = (int)watch.ElapsedMilliseconds;
                await db.WriteAsync(async (conn, tx) =>
                {
                    // A placeholder for an id no provider knows goes away (the lookup answers 404 for a while).
                    if (t.SyncState == "pending") await conn.ExecuteAsync("DELETE FROM titles WHERE id = @titleId AND sync_state = 'pending'", new { titleId }, tx);
                    else await SyncLog.MarkAsync(conn, tx, titleId, "failed", attempt, "not found at the provider", clock.GetUtcNow().UtcDateTime);
                    await SyncLog.AddAsync(conn, tx, new SyncLogEntry
                    {
                        Provider = used, Entity = "lookup", EntityId = reference, TitleId = titleId, Status = "not_found",
                        StartedAt = started, DurationMs = ms, Attempts = attempt, Error = "the provider has no title with this id",
                    });
                }, ct);
                return new SyncOutcome(SyncStatus.NotFound, titleId, false, "not found at the provider", used, ms);
            }

            // The title's cached answer is bypassed from here until the commit is done, then dropped.
            using var scope = titles.BeginWrite([titleId]);
            var written = await db.WriteRetryingAsync(async (conn, tx) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var alsoChanged = new List<long>();
                var id = await SyncWriter.WriteAsync(conn, tx, db, catalog, titleId, fetched, now, alsoChanged);
                scope.Changed([id, .. alsoChanged]);
                var ms = (int)watch.ElapsedMilliseconds;
                await SyncLog.MarkAsync(conn, tx, id, "succeeded", attempt, null, now);
                await SyncLog.AddAsync(conn, tx, new SyncLogEntry
                {
                    Provider = used, Entity = "title", EntityId = id.ToString(System.Globalization.CultureInfo.InvariantCulture), TitleId = id,
                    Status = "succeeded", StartedAt = started, DurationMs = ms, Attempts = attempt,
                });
                return id;
            }, ct);
            scope.Dispose();
            Search.SearchIndex.Committed();
            return new SyncOutcome(SyncStatus.Succeeded, written, false, null, used, (int)watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is ProviderException or SyncWriter.Refused || (e is System.Data.Common.DbException && !ct.IsCancellationRequested))
        {
            var transient = e is ProviderException { Transient: true } || e is System.Data.Common.DbException;
            var retrying = transient && !finalAttempt;
            var ms = (int)watch.ElapsedMilliseconds;
            logger.LogWarning("Sync of title {TitleId} ({Reference}) failed on attempt {Attempt}{Retry}: {Error}", titleId, reference, attempt,
                retrying ? ", will retry" : "", e.Message);
            try
            {
                await db.WriteAsync(async (conn, tx) =>
                {
                    await SyncLog.MarkAsync(conn, tx, titleId, retrying ? "retrying" : "failed", attempt, e.Message, clock.GetUtcNow().UtcDateTime);
                    await SyncLog.AddAsync(conn, tx, new SyncLogEntry
                    {
                        Provider = providers, Entity = "title", EntityId = titleId.ToString(System.Globalization.CultureInfo.InvariantCulture), TitleId = titleId,
                        Status = retrying ? "retrying" : "failed", StartedAt = started, DurationMs = ms, Attempts = attempt, Error = e.Message,
                    });
                }, ct);
            }
            catch (System.Data.Common.DbException logError) { logger.LogWarning(logError, "Could not log the failed sync of title {TitleId}", titleId); }
            return new SyncOutcome(SyncStatus.Failed, titleId, transient, e.Message, providers, ms);
        }
    }
}
