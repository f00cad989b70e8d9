using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Watchlog.Data;

namespace Watchlog.Search;

/// <summary>
/// Runs a query: finds candidates tier by tier (titles and alternate titles; then people and network; then overviews),
/// each tier read most popular first and cut at a window 1.5 times the page, with exact title matches the window may
/// have cut, retries with typo corrections when no title has the words, and ranks with <see cref="SearchRanker"/>.
/// </summary>
public sealed class SearchService(Db db, SearchStore store, MemoryIndex memory)
{
    /// <summary>Results a query can page through; pages beyond it are refused (refine the query instead).</summary>
    public const int MaxWindow = 1000;

    /// <summary>People and overviews are read when the names found fewer results than this (or than asked for).</summary>
    const int FewResults = 5;

    public sealed record Outcome(IReadOnlyList<Ranked> Results, int Total);

    public async Task<Outcome> SearchAsync(SearchQuery query, SearchFilter filter, int wanted, bool countTotal, CancellationToken ct)
    {
        if (query.IsEmpty) return new Outcome([], 0);
        var window = Math.Clamp(wanted + wanted / 2, 32, MaxWindow);
        if (await memory.CurrentAsync(ct) is { } snapshot) return await SearchInMemoryAsync(snapshot, query, filter, wanted, window, countTotal, ct);
        await using var conn = await db.OpenAsync(ct);

        var (found, truncated, inTitles) = await FindAsync(conn, query, filter, wanted, window, overview: true, ct);
        if (found.Count < wanted && inTitles == 0)
        {
            // No title has the words as typed: forgive one typo per long word (a query that finds its title needs no
            // rescue); the ranker keeps exact finds above corrected ones.
            var corrections = await store.CorrectionsAsync(conn, query.Terms.Select(t => t.Token), ct);
            if (corrections.Count > 0)
            {
                var corrected = query.WithCorrections(corrections);
                var (more, moreTruncated, _) = await FindAsync(conn, corrected, filter, wanted, window, overview: false, ct);
                foreach (var (rank, c) in more) found.TryAdd(rank, c);
                truncated |= moreTruncated;
                query = corrected;
            }
        }

        var ranked = SearchRanker.Rank(query, found.Values);
        var total = ranked.Count;
        if (countTotal && truncated) total = Math.Max(total, await store.CountAsync(conn, query.ForRetrieval(), filter, ct));
        return new Outcome(ranked, total);
    }

    /// <summary>
    /// The same search with the title and names tiers, and titles found by their whole title, answered by the in-process
    /// index. The database is read for the candidates' rows (one statement), and for overviews and typo corrections
    /// only when a query needs them.
    /// </summary>
    async Task<Outcome> SearchInMemoryAsync(MemorySnapshot snapshot, SearchQuery query, SearchFilter filter, int wanted,
        int window, bool countTotal, CancellationToken ct)
    {
        DbConnection? conn = null;
        try
        {
            var (ranks, truncated, inTitles) = FindInMemory(snapshot, query, filter, window);
            var found = new Dictionary<long, Candidate>();
            // Overviews are the weakest evidence and the largest index: read only when the named fields found next to nothing.
            var described = new List<long>();
            if (!truncated && ranks.Count < Math.Min(wanted, FewResults))
            {
                conn ??= await db.OpenAsync(ct);
                if (conn is SqliteConnection sqlite)
                    described = SearchStore.OverviewRanks(sqlite, query.ForRetrieval(), filter, snapshot.Filter(filter), window);
                else
                    foreach (var c in await store.FindAsync(conn, query.ForRetrieval(), SearchStore.Fields.Overview, filter, window, ct))
                    {
                        described.Add(c.Rank);
                        found.TryAdd(c.Rank, c);
                    }
                truncated = described.Count >= window;
            }
            if (ranks.Count + described.Count(r => !ranks.Contains(r)) < wanted && inTitles == 0)
            {
                conn ??= await db.OpenAsync(ct);
                var corrections = await store.CorrectionsAsync(conn, query.Terms.Select(t => t.Token), ct);
                if (corrections.Count > 0)
                {
                    query = query.WithCorrections(corrections);
                    var (more, moreTruncated, _) = FindInMemory(snapshot, query, filter, window);
                    ranks.UnionWith(more);
                    truncated |= moreTruncated;
                }
            }

            // Exact titles however unpopular: a window of popular "love" titles may not hold the film called "Love".
            string[] keys = query.Key == query.FullKey ? [query.Key] : [query.Key, query.FullKey];
            var exact = snapshot.Exact(keys, SearchStore.ExactLimit);
            var missing = ranks.Concat(described).Concat(exact).Where(r => !found.ContainsKey(r)).Distinct().ToList();
            var rows = new Dictionary<long, Candidate>(missing.Count);
            if (missing.Count > 0)
            {
                conn ??= await db.OpenAsync(ct);
                foreach (var c in await store.FetchAsync(conn, missing, ct)) rows[c.Rank] = c;
            }
            foreach (var rank in ranks.Concat(described))
                if (rows.TryGetValue(rank, out var c)) found.TryAdd(rank, c);
            foreach (var rank in exact)
                if (rows.TryGetValue(rank, out var c) && keys.Contains(c.ExactKey) && filter.Accepts(c)) found.TryAdd(rank, c);

            var ranked = SearchRanker.Rank(query, found.Values);
            var total = ranked.Count;
            if (countTotal && truncated)
            {
                conn ??= await db.OpenAsync(ct);
                total = Math.Max(total, await store.CountAsync(conn, query.ForRetrieval(), filter, ct));
            }
            return new Outcome(ranked, total);
        }
        finally
        {
            if (conn is not null) await conn.DisposeAsync();
        }
    }

    /// <summary>The title tier, then (unless it filled the window) the names tier: titles, alternate titles and networks,
    /// or people. Ranks in rank order; the window filled means more exist.</summary>
    static (HashSet<long> Ranks, bool Truncated, int InTitles) FindInMemory(MemorySnapshot snapshot, SearchQuery query, SearchFilter filter, int window)
    {
        query = query.ForRetrieval();
        var names = query.Terms.Select(t => ((IReadOnlyList<string>)[.. t.Alternatives], t.Prefix)).ToList();
        var titles = snapshot.Find(MemoryTier.Titles, names, filter, window);
        var ranks = titles.ToHashSet();
        if (titles.Count >= window) return (ranks, true, titles.Count);
        var people = query.ForMore().Terms.Select(t => ((IReadOnlyList<string>)[.. t.Alternatives], t.Prefix && t.Token.Length >= 4)).ToList();
        var named = MemorySnapshot.MergeRanks(snapshot.Find(MemoryTier.Names, names, filter, window), snapshot.Find(MemoryTier.People, people, filter, window), window);
        ranks.UnionWith(named);
        return (ranks, named.Count >= window, titles.Count);
    }

    async Task<(Dictionary<long, Candidate> Found, bool Truncated, int InTitles)> FindAsync(
        DbConnection conn, SearchQuery query, SearchFilter filter, int wanted, int window, bool overview, CancellationToken ct)
    {
        query = query.ForRetrieval();
        var found = new Dictionary<long, Candidate>();
        // Exact titles come with the title tier: a window of popular "love" titles may not hold the film called "Love".
        var rows = await store.FindAsync(conn, query, SearchStore.Fields.Titles, filter, window, ct, [query.Key, query.FullKey]);
        var titles = rows.Where(c => !c.ExactHit).ToList();
        foreach (var c in titles) found.TryAdd(c.Rank, c);
        foreach (var c in rows.Where(c => c.ExactHit && filter.Accepts(c))) found.TryAdd(c.Rank, c);
        if (titles.Count >= window) return (found, true, titles.Count);

        var named = await store.FindAsync(conn, query, SearchStore.Fields.Named, filter, window, ct);
        foreach (var c in named) found.TryAdd(c.Rank, c);
        if (named.Count >= window) return (found, true, titles.Count);

        // Overviews are the weakest evidence and the largest index: read only when the named fields found next to nothing.
        if (!overview || found.Count >= Math.Min(wanted, FewResults)) return (found, false, titles.Count);
        var described = await store.FindAsync(conn, query, SearchStore.Fields.Overview, filter, window, ct);
        foreach (var c in described) found.TryAdd(c.Rank, c);
        return (found, described.Count >= window, titles.Count);
    }

    public async Task<Dictionary<long, int>> EpisodeRuntimesAsync(IReadOnlyCollection<long> seriesIds, CancellationToken ct)
    {
        if (seriesIds.Count == 0) return [];
        await using var conn = await db.OpenAsync(ct);
        return await store.EpisodeRuntimesAsync(conn, seriesIds, ct);
    }

    /// <summary>The index version in the database (bumped by every index write, from any process).</summary>
    public async Task<long> StoredVersionAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM search_meta WHERE id = 1", cancellationToken: ct));
    }
}
