using System.Collections.Concurrent;

namespace Watchlog.Search;

/// <summary>A finished response: the JSON body and its ETag.</summary>
public sealed record CachedResponse(byte[] Body, string ETag);

/// <summary>
/// Per-process cache of finished responses, keyed by the query as sent (the answer echoes it) and every parameter that
/// shapes the answer. Entries belong to one index version: any index write, in this
/// process at once or in another process or node within <see cref="VersionCheckInterval"/>, makes them unreachable.
/// Eviction is by generations (an approximate LRU without a lock on reads): when the young generation is full it becomes
/// the old one; a hit in the old generation is copied back into the young one.
/// </summary>
public sealed class ResultCache(SearchService search, MemoryIndex memory, int capacity, TimeProvider clock)
{
    public static readonly TimeSpan VersionCheckInterval = TimeSpan.FromSeconds(1);

    readonly int _generationSize = Math.Max(1, capacity / 2);
    ConcurrentDictionary<string, CachedResponse> _young = new(StringComparer.Ordinal);
    ConcurrentDictionary<string, CachedResponse> _old = new(StringComparer.Ordinal);
    readonly object _rotate = new();
    long _localVersion = SearchIndex.LocalVersion;
    long _storedVersion = -1;
    long _checkedAt;
    bool _checkedOnce;
    int _checking;
    long _generation;
    int _youngCount;

    public bool Enabled => capacity > 0;

    public async ValueTask<CachedResponse?> GetAsync(string key, CancellationToken ct)
    {
        if (!Enabled) return null;
        await EnsureCurrentAsync(ct);
        if (_young.TryGetValue(key, out var hit)) return hit;
        if (_old.TryGetValue(key, out hit)) { Put(key, hit); return hit; }
        return null;
    }

    /// <summary>A token for the cache's contents, taken before computing an answer; <see cref="Set"/> drops the
    /// answer if the cache was cleared in between (the index changed).</summary>
    public long Version => Interlocked.Read(ref _generation);

    public void Set(string key, CachedResponse value, long version)
    {
        if (!Enabled || version != Version) return;
        Put(key, value);
    }

    void Put(string key, CachedResponse value)
    {
        var young = _young;
        if (!young.TryAdd(key, value)) { young[key] = value; return; }
        if (Interlocked.Increment(ref _youngCount) < _generationSize) return;
        lock (_rotate)
        {
            if (!ReferenceEquals(young, _young)) return;
            _old = young;
            _young = new ConcurrentDictionary<string, CachedResponse>(StringComparer.Ordinal);
            Interlocked.Exchange(ref _youngCount, 0);
        }
    }

    async ValueTask EnsureCurrentAsync(CancellationToken ct)
    {
        var local = SearchIndex.LocalVersion;
        if (local != Interlocked.Read(ref _localVersion))
        {
            Interlocked.Exchange(ref _localVersion, local);
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
        lock (_rotate)
        {
            _young = new ConcurrentDictionary<string, CachedResponse>(StringComparer.Ordinal);
            _old = new ConcurrentDictionary<string, CachedResponse>(StringComparer.Ordinal);
            Interlocked.Exchange(ref _youngCount, 0);
            Interlocked.Increment(ref _generation);
        }
    }
}
