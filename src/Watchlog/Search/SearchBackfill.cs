using Dapper;
using Watchlog.Data;

namespace Watchlog.Search;

/// <summary>
/// Indexes titles that have no search document yet: a database created before the search index existed, or titles
/// written by a path that didn't index them. Runs in the background after start-up, a batch per transaction, so the
/// server answers at once (searches find the titles indexed so far).
/// </summary>
public sealed class SearchBackfill(Db db, ILogger<SearchBackfill> log) : BackgroundService
{
    const int BatchSize = 2000;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            var total = 0;
            while (!ct.IsCancellationRequested)
            {
                var done = await db.WriteAsync(async (conn, tx) =>
                {
                    var ids = (await conn.QueryAsync<long>(
                        $"SELECT t.id FROM titles t WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.title_id = t.id) ORDER BY t.id LIMIT {BatchSize}",
                        transaction: tx)).ToList();
                    await SearchIndex.RefreshAsync(conn, tx, db.Dialect, ids);
                    return ids.Count;
                }, ct);
                if (done == 0) break;
                SearchIndex.Committed();
                total += done;
            }
            if (total > 0) log.LogInformation("Search index: added {Count} title(s) that were not indexed yet", total);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) when (e is System.Data.Common.DbException or ObjectDisposedException)
        {
            log.LogWarning(e, "Search index backfill stopped; it resumes at the next start");
        }
    }
}
