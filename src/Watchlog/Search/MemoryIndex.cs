using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Watchlog.Data;

namespace Watchlog.Search;

/// <summary>
/// One consistent view of the in-process index at a database index version: a base segment read whole, the titles
/// rewritten since (a small delta segment, rebuilt on each catch-up) and the base titles those replaced.
/// </summary>
public sealed class MemorySnapshot
{
    internal MemorySnapshot(long version, MemorySegment @base, bool[]? deleted, Dictionary<long, IndexedDoc> deltaDocs)
    {
        Version = version;
        Base = @base;
        Deleted = deleted;
        DeltaDocs = deltaDocs;
        if (deltaDocs.Count > 0) Delta = MemorySegment.Builder.From(deltaDocs.Values.OrderBy(d => d.Rank));
        Count = @base.Count - (deleted?.Count(d => d) ?? 0) + (Delta?.Count ?? 0);
    }

    public long Version { get; }
    internal MemorySegment Base { get; }
    internal MemorySegment? Delta { get; }
    internal bool[]? Deleted { get; }
    internal Dictionary<long, IndexedDoc> DeltaDocs { get; }

    /// <summary>Titles in this view of the index.</summary>
    public int Count { get; }

    /// <summary>Ranks of the first <paramref name="limit"/> titles of the tier that have every term and pass the filter.</summary>
    public List<long> Find(MemoryTier tier, IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms, SearchFilter filter, int limit)
    {
        var a = Base.Find(tier, terms, filter, limit, Deleted).ConvertAll(Base.RankAt);
        if (Delta is null) return a;
        var b = Delta.Find(tier, terms, filter, limit, null).ConvertAll(Delta.RankAt);
        return MergeRanks(a, b, limit);
    }

    /// <summary>Whether a rank is a title of this snapshot that passes the filter (resolved once per call of this).</summary>
    public Func<long, bool> Filter(SearchFilter filter)
    {
        var inBase = Base.Filter(filter, Deleted);
        if (Delta?.Filter(filter, null) is not { } inDelta) return inBase;
        return rank => inBase(rank) || inDelta(rank);
    }

    /// <summary>Ranks of the most popular titles (at most <paramref name="limit"/>) whose whole normalized title hashes like
    /// one of <paramref name="keys"/>, however far down the popularity order (the caller checks the key on the row).</summary>
    public List<long> Exact(IEnumerable<string> keys, int limit)
    {
        var ranks = new List<long>();
        foreach (var key in keys)
        {
            ranks.AddRange(Base.WithExactKey(key).Where(n => Deleted is null || !Deleted[n]).Select(Base.RankAt));
            if (Delta is not null) ranks.AddRange(Delta.WithExactKey(key).Select(Delta.RankAt));
        }
        ranks.Sort();
        return MergeRanks(ranks, [], limit);
    }

    /// <summary>Two rank-ordered lists as one, without repeats, at most <paramref name="limit"/>.</summary>
    public static List<long> MergeRanks(List<long> a, List<long> b, int limit)
    {
        if (b.Count == 0) return a.Count <= limit ? a : a[..limit];
        var merged = new List<long>(Math.Min(limit, a.Count + b.Count));
        int i = 0, j = 0;
        while (merged.Count < limit && (i < a.Count || j < b.Count))
        {
            var next = j >= b.Count || i < a.Count && a[i] <= b[j] ? a[i++] : b[j++];
            if (merged.Count == 0 || merged[^1] != next) merged.Add(next);
        }
        return merged;
    }
}

/// <summary>
/// The in-process search index: title, alternate-title, network and people words of every indexed title in posting
/// lists ordered by popularity (<see cref="MemorySegment"/>), so the title and names tiers of a query cost microseconds
/// and no statement; the database is read once per query for the candidates' rows (and for overviews and typo
/// corrections when a query needs them). See docs/search.md.
/// <list type="bullet">
/// <item>Built from search_docs when the server starts: before it serves when the catalog is small, in the background
///   when it is large (searches use the database meanwhile).</item>
/// <item>Kept in step through search_changes: a write in this process is seen by the next search (it waits for the
///   catch-up), another process's or node's within a second, or at once when the response cache saw it first.</item>
/// <item>When more titles changed than a catch-up should carry (a bulk import), or the log no longer reaches back far
///   enough, it reads everything again in the background and searches use the database until it is done.</item>
/// </list>
/// Setting <c>Watchlog:Search:MemoryIndex=false</c> leaves every search to the database.
/// </summary>
public sealed class MemoryIndex(Db db, ILogger<MemoryIndex> log, TimeProvider clock, bool enabled) : IHostedService
{
    /// <summary>Catalogs up to this size are read before the server answers; larger ones in the background.</summary>
    public const int BuildBeforeServingUpTo = 200_000;

    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Titles rewritten since the last full read that the index carries as a delta; beyond, it reads everything again.</summary>
    public const int DeltaLimit = 5_000;

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly CancellationTokenSource _stopping = new(); // no timer, no wait handle: nothing to dispose
    volatile MemorySnapshot? _current;
    Task _rebuild = Task.CompletedTask;
    long _seenLocal = -1;
    long _observed = -1;
    long _checkedAt;

    public bool Enabled => enabled;

    /// <summary>Whether searches are served from memory now (false while building or rebuilding, or when disabled).</summary>
    public bool Ready => _current is not null;

    /// <summary>Titles in the index now, or null when it isn't serving.</summary>
    public int? Titles => _current?.Count;

    /// <summary>The index version the current snapshot holds; -1 while there is none.</summary>
    public long Version => _current?.Version ?? -1;

    public async Task StartAsync(CancellationToken ct)
    {
        if (!enabled) return;
        long count;
        // Counting stops past the limit: a full count(*) is seconds on PostgreSQL at a million titles.
        await using (var conn = await db.OpenAsync(ct))
            count = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM (SELECT 1 FROM search_docs LIMIT {BuildBeforeServingUpTo + 1}) d", cancellationToken: ct));
        // On a thread of its own: SQLite's async reads complete synchronously, so awaiting alone would read a million
        // titles inside StartAsync, before the server answers anything.
        _rebuild = Task.Run(() => RebuildAsync(_stopping.Token));
        if (count <= BuildBeforeServingUpTo) await _rebuild;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        try { await _rebuild.WaitAsync(ct); } catch (OperationCanceledException) { }
    }

    /// <summary>Tells the index that the database is at least at <paramref name="version"/> (the response cache saw it):
    /// the next search catches up before it answers.</summary>
    public void Observe(long version)
    {
        long seen;
        while (version > (seen = Interlocked.Read(ref _observed)) && Interlocked.CompareExchange(ref _observed, version, seen) != seen) { }
    }

    /// <summary>
    /// The snapshot to answer from, caught up with this process's writes and what <see cref="Observe"/> reported; or null:
    /// search the database.
    /// </summary>
    public async ValueTask<MemorySnapshot?> CurrentAsync(CancellationToken ct)
    {
        var s = _current;
        if (s is null) return null;
        var local = SearchIndex.LocalVersion;
        if (local != Interlocked.Read(ref _seenLocal) || Interlocked.Read(ref _observed) > s.Version)
        {
            // Something this process wrote, or the response cache already saw: answer only once it is in.
            await _gate.WaitAsync(ct);
            try { await CatchUpAsync(local, ct); }
            finally { _gate.Release(); }
        }
        else if (clock.GetElapsedTime(Interlocked.Read(ref _checkedAt)) >= CheckInterval && _gate.Wait(0))
        {
            // Other processes' writes: one request looks, the others answer from what is there.
            try { await CatchUpAsync(local, ct); }
            finally { _gate.Release(); }
        }
        return _current;
    }

    /// <summary>Applies the change log since the snapshot's version; hands over to a full rebuild when that is cheaper
    /// or the log no longer reaches back. Runs under <see cref="_gate"/>.</summary>
    async Task CatchUpAsync(long local, CancellationToken ct)
    {
        var s = _current;
        if (s is null) return;
        var checkedAt = clock.GetTimestamp();
        await using var conn = await db.OpenAsync(ct);
        var next = await AdvanceAsync(conn, s, ct);
        if (next is null)
        {
            _current = null;
            StartRebuild();
            return;
        }
        _current = next;
        Interlocked.Exchange(ref _seenLocal, local);
        Interlocked.Exchange(ref _checkedAt, checkedAt);
    }

    void StartRebuild()
    {
        if (!_rebuild.IsCompleted) return;
        _rebuild = Task.Run(async () =>
        {
            // A bulk import moves the version constantly: let it get ahead before reading everything.
            try { await Task.Delay(TimeSpan.FromSeconds(2), _stopping.Token); }
            catch (OperationCanceledException) { return; }
            await RebuildAsync(_stopping.Token);
        });
    }

    /// <summary>Both passes and the version in one read snapshot (WAL / repeatable read): no writer waits for it. The
    /// builder is garbage once this returns (held in the caller's state machine it outlived the collection after the
    /// build: ~60 MB at a million titles).</summary>
    async Task<(long Version, MemorySegment Segment)> ReadAllAsync(DbConnection conn, CancellationToken ct)
    {
        var builder = new MemorySegment.Builder();
        await using var tx = conn is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true)
            : await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var (version, _) = await MetaAsync(conn, ct, tx);
        await ReadDocsAsync(conn, null, builder.Add, ct, tx);
        builder.EndFirstPass();
        // The first pass's dictionaries and strings are garbage now: collected before the postings fill the heap.
        if (builder.Count >= 50_000) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        await ReadDocsAsync(conn, null, builder.Add, ct, tx);
        return (version, builder.Build());
    }

    /// <summary>Reads the whole index, then applies what changed while it read; tries again (later) until the catch-up
    /// is small.</summary>
    async Task RebuildAsync(CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(2);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                var local = SearchIndex.LocalVersion;
                MemorySnapshot? built;
                await using (var conn = await db.OpenAsync(ct))
                {
                    var (version, segment) = await ReadAllAsync(conn, ct);
                    built = await AdvanceAsync(conn, new MemorySnapshot(version, segment, null, []), ct);
                }
                if (built is not null)
                {
                    await _gate.WaitAsync(ct);
                    try
                    {
                        _current = built;
                        Interlocked.Exchange(ref _seenLocal, local);
                        Interlocked.Exchange(ref _checkedAt, clock.GetTimestamp());
                    }
                    finally { _gate.Release(); }
                    // Reading a large catalog leaves a heap sized for the reading: give it back (the index itself stays).
                    if (built.Base.Count >= 50_000) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    log.LogInformation("Search index in memory: {Count} titles, {Postings} postings, read in {Ms} ms; {Parts}; managed heap {HeapMb} MB",
                        built.Count, built.Base.Postings, watch.ElapsedMilliseconds,
                        string.Join(", ", built.Base.Bytes().Select(p => $"{p.Key} {p.Value / 1048576.0:F1} MB")), GC.GetTotalMemory(false) >> 20);
                    return;
                }
                // Overtaken by writes (a bulk import is running): wait longer each time, up to a minute.
                await Task.Delay(wait, ct);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException or ObjectDisposedException)
        {
            // The database answers every search meanwhile; the next start tries again.
            log.LogWarning(e, "Search index in memory: could not be built; searches read the database");
        }
    }

    /// <summary>The snapshot moved to the database's current version, or null when the change log no longer reaches
    /// back to <paramref name="s"/>'s version or so many titles changed that reading everything is cheaper.</summary>
    static async Task<MemorySnapshot?> AdvanceAsync(DbConnection conn, MemorySnapshot s, CancellationToken ct)
    {
        var (version, changesAfter) = await MetaAsync(conn, ct);
        if (version == s.Version) return s;
        if (s.Version < changesAfter) return null;
        var ids = (await conn.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT title_id FROM search_changes WHERE version > @from AND version <= @to",
            new { from = s.Version, to = version }, cancellationToken: ct))).ToList();
        // The delta is rebuilt whole on every catch-up (on the path of the search that waits for it): keep it small.
        if (ids.Count + s.DeltaDocs.Count > DeltaLimit) return null;

        var deleted = s.Deleted is null ? new bool[s.Base.Count] : (bool[])s.Deleted.Clone();
        var docs = new Dictionary<long, IndexedDoc>(s.DeltaDocs);
        foreach (var id in ids) docs.Remove(id);
        foreach (var n in s.Base.NumbersOf(ids.ToHashSet())) deleted[n] = true;
        if (ids.Count > 0) await ReadDocsAsync(conn, ids, d => docs[d.TitleId] = d, ct);
        return new MemorySnapshot(version, s.Base, deleted, docs);
    }

    static async Task<(long Version, long ChangesAfter)> MetaAsync(DbConnection conn, CancellationToken ct, DbTransaction? tx = null) =>
        await conn.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT version, changes_after FROM search_meta WHERE id = 1", transaction: tx, cancellationToken: ct));

    /// <summary>Streams index rows in rank order (all of them, or those of <paramref name="titleIds"/>).</summary>
    static async Task ReadDocsAsync(DbConnection conn, IReadOnlyCollection<long>? titleIds, Action<IndexedDoc> add, CancellationToken ct,
        DbTransaction? tx = null)
    {
        var sqlite = conn is SqliteConnection;
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        var facets = sqlite ? "facets" : "array_to_string(facets, ' ')";
        var where = titleIds is null ? "" : sqlite ? "WHERE title_id IN (SELECT value FROM json_each(@ids))" : "WHERE title_id = ANY(@ids)";
        cmd.CommandText = $"SELECT rank, title_id, year, runtime_min, {facets}, title_key, alt_key, network_key, people_key, exact_key FROM search_docs {where} ORDER BY rank";
        if (titleIds is not null)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "ids";
            p.Value = sqlite ? SqliteStatements.JsonArray(titleIds) : titleIds.ToArray();
            cmd.Parameters.Add(p);
        }
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            add(new IndexedDoc(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                r.IsDBNull(4) ? "" : r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9)));
    }
}
