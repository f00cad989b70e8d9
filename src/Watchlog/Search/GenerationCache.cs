using System.Collections.Concurrent;

namespace Watchlog.Search;

/// <summary>
/// A bounded map with approximate LRU eviction and no lock on reads: entries go into a young generation; when it holds
/// half the capacity it becomes the old one (the previous old one is dropped), and a hit in the old generation is
/// copied back into the young one. The capacity counts entries, or what <c>weigh</c> says each entry costs (bytes).
/// </summary>
public sealed class GenerationCache<TKey, TValue>(long capacity, IEqualityComparer<TKey>? comparer = null, Func<TKey, TValue, long>? weigh = null)
    where TKey : notnull
{
    readonly long _generationSize = Math.Max(1, capacity / 2);
    readonly object _rotate = new();
    ConcurrentDictionary<TKey, TValue> _young = new(comparer);
    ConcurrentDictionary<TKey, TValue> _old = new(comparer);
    long _youngWeight;

    public bool Enabled => capacity > 0;

    /// <summary>What the young generation holds (entries, or their weight), for tests.</summary>
    internal long YoungWeight => Interlocked.Read(ref _youngWeight);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_young.TryGetValue(key, out value!)) return true;
        if (!_old.TryGetValue(key, out value!)) return false;
        Set(key, value);
        return true;
    }

    public void Set(TKey key, TValue value)
    {
        if (!Enabled) return;
        var weight = weigh?.Invoke(key, value) ?? 1;
        if (weight > _generationSize) return; // would push everything else out on its own
        var young = _young;
        if (!young.TryAdd(key, value)) { young[key] = value; return; }
        if (Interlocked.Add(ref _youngWeight, weight) < _generationSize) return;
        lock (_rotate)
        {
            if (!ReferenceEquals(young, _young)) return;
            _old = young;
            _young = new ConcurrentDictionary<TKey, TValue>(comparer);
            Interlocked.Exchange(ref _youngWeight, 0);
        }
    }

    public void Clear()
    {
        lock (_rotate)
        {
            _young = new ConcurrentDictionary<TKey, TValue>(comparer);
            _old = new ConcurrentDictionary<TKey, TValue>(comparer);
            Interlocked.Exchange(ref _youngWeight, 0);
        }
    }
}
