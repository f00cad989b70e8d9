using System.Collections.Concurrent;

namespace Watchlog.Search;

/// <summary>
/// A bounded map with approximate LRU eviction and no lock on reads. Entries go into a young generation; a hit in the
/// old generation moves the entry into the young one. When the two together reach the capacity, the old generation is
/// dropped (what is left in it was not read since it became old) and the young one becomes old. So the cache holds up
/// to its whole capacity, and a set of entries read in turns that fits it stays whole. The capacity counts entries,
/// or what <c>weigh</c> says each entry costs (bytes).
/// </summary>
public sealed class GenerationCache<TKey, TValue>(long capacity, IEqualityComparer<TKey>? comparer = null, Func<TKey, TValue, long>? weigh = null)
    where TKey : notnull
{
    readonly object _rotate = new();
    ConcurrentDictionary<TKey, TValue> _young = new(comparer);
    ConcurrentDictionary<TKey, TValue> _old = new(comparer);
    long _youngWeight;
    long _oldWeight;

    public bool Enabled => capacity > 0;

    /// <summary>What the two generations hold (entries, or their weight), for tests.</summary>
    internal long Weight => Interlocked.Read(ref _youngWeight) + Interlocked.Read(ref _oldWeight);

    long Weigh(TKey key, TValue value) => weigh?.Invoke(key, value) ?? 1;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_young.TryGetValue(key, out value!)) return true;
        var old = _old;
        if (!old.TryRemove(key, out value!)) return false;
        var weight = Weigh(key, value);
        lock (_rotate)
        {
            // Rotated meanwhile: the entry's weight already left with its generation.
            if (ReferenceEquals(old, _old)) Interlocked.Add(ref _oldWeight, -weight);
        }
        Add(key, value, weight, moved: true);
        return true;
    }

    public void Set(TKey key, TValue value)
    {
        if (!Enabled) return;
        var weight = Weigh(key, value);
        if (weight > capacity / 2) return; // would push most of everything else out on its own
        Add(key, value, weight, moved: false);
    }

    /// <summary>Adds to the young generation; a new entry that brings both to the capacity rotates them (a moved one
    /// leaves the total as it was).</summary>
    void Add(TKey key, TValue value, long weight, bool moved)
    {
        var young = _young;
        if (!young.TryAdd(key, value)) { young[key] = value; return; }
        if (Interlocked.Add(ref _youngWeight, weight) + Interlocked.Read(ref _oldWeight) < capacity || moved) return;
        lock (_rotate)
        {
            if (!ReferenceEquals(young, _young)) return;
            _old = young;
            Interlocked.Exchange(ref _oldWeight, Interlocked.Exchange(ref _youngWeight, 0));
            _young = new ConcurrentDictionary<TKey, TValue>(comparer);
        }
    }

    public void Clear()
    {
        lock (_rotate)
        {
            _young = new ConcurrentDictionary<TKey, TValue>(comparer);
            _old = new ConcurrentDictionary<TKey, TValue>(comparer);
            Interlocked.Exchange(ref _youngWeight, 0);
            Interlocked.Exchange(ref _oldWeight, 0);
        }
    }
}
