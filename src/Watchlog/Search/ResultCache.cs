namespace Watchlog.Search;

/// <summary>A finished response: the JSON body and its ETag.</summary>
public sealed record CachedResponse(byte[] Body, string ETag);

/// <summary>
/// Per-process cache of finished responses, keyed by the query as sent (the answer echoes it) and every parameter that
/// shapes the answer. Entries belong to one index version: any index write, in this
/// process at once or in another process or node within <see cref="VersionCheckInterval"/>, makes them unreachable.
/// Eviction is by generations (<see cref="GenerationCache{TKey, TValue}"/>) within <paramref name="capacityBytes"/>: a
/// response weighs its body, key and ETag and the objects around them.
/// </summary>
public sealed class ResultCache(SearchService search, MemoryIndex memory, long capacityBytes, TimeProvider clock)
{
    public static readonly TimeSpan VersionCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>Bytes an entry costs besides its body and strings (dictionary node, record, array and string headers).</summary>
    internal const int EntryOverhead = 160;

    internal static long Weigh(string key, CachedResponse value) => EntryOverhead + 2L * key.Length + value.Body.Length + 2L * value.ETag.Length;

    readonly GenerationCache<string, CachedResponse> _entries = new(capacityBytes, StringComparer.Ordinal, Weigh);
    readonly object _clear = new();
    long _localVersion = SearchIndex.LocalVersion;
    long _storedVersion = -1;
    long _checkedAt;
    bool _checkedOnce;
    int _checking;
    long _generation;

    public bool Enabled => capacityBytes > 0;

    /// <summary>Bytes the cached responses weigh, for tests.</summary>
    internal long Bytes => _entries.Weight;

    public async ValueTask<CachedResponse?> GetAsync(string key, CancellationToken ct)
    {
        if (!Enabled) return null;
        await EnsureCurrentAsync(ct);
        return _entries.TryGet(key, out var hit) ? hit : null;
    }

    /// <summary>A token for the cache's contents, taken before computing an answer; <see cref="Set"/> drops the
    /// answer if the cache was cleared in between (the index changed).</summary>
    public long Version => Interlocked.Read(ref _generation);

    public void Set(string key, CachedResponse value, long version)
    {
        if (!Enabled || version != Version) return;
        _entries.Set(key, value);
    }

    async ValueTask EnsureCurrentAsync(CancellationToken ct)
    {
        var local = SearchIndex.LocalVersion;
        if (local != Interlocked.Read(ref _localVersion))
        {
            Interlocked.Exchange(ref _localVersion, local);
            Clear();
        }
        // The in-process index looks for other nodes' writes on its own: once it answers from a newer version, answers
        // cached from the older one go too (a title found by its new name must not keep its old one for a second).
        var indexed = memory.Version;
        if (indexed > Interlocked.Read(ref _storedVersion))
        {
            Interlocked.Exchange(ref _storedVersion, indexed);
            Clear();
        }
        var now = clock.GetTimestamp();
        if (Volatile.Read(ref _checkedOnce) && clock.GetElapsedTime(Interlocked.Read(ref _checkedAt), now) < VersionCheckInterval) return;
        if (Interlocked.Exchange(ref _checking, 1) == 1) return; // another request is asking
        try
        {
            var stored = await search.StoredVersionAsync(ct);
            if (stored != Interlocked.Read(ref _storedVersion))
            {
                // The in-process index first: an answer computed after the clear must not come from an older index.
                memory.Observe(stored);
                Interlocked.Exchange(ref _storedVersion, stored);
                Clear();
            }
            Interlocked.Exchange(ref _checkedAt, now);
            Volatile.Write(ref _checkedOnce, true);
        }
        finally { Volatile.Write(ref _checking, 0); }
    }

    void Clear()
    {
        lock (_clear)
        {
            _entries.Clear();
            Interlocked.Increment(ref _generation);
        }
    }
}
