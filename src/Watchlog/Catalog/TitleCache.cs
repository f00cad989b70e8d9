using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Watchlog.Catalog;

/// <summary>
/// The answer of <c>GET /api/titles/{id}</c> kept per process: the serialized body, its ETag, and what the handler needs
/// to decide about a background refresh. A hit costs no database work and no serializing or hashing.
/// <list type="bullet">
/// <item>Writes in this process: a writer marks the titles it is about to change (<see cref="BeginWrite"/>); while marked
///   they are neither served from nor stored in the cache, and after the commit they are dropped. A bulk writer that
///   can't name its titles up front (catalog imports) marks everything for the length of its batch.</item>
/// <item>Writes by another process or node (several nodes on one PostgreSQL, a CLI import beside a server): every entry
///   is checked against <c>titles.updated_at</c> (one primary-key lookup) at least every
///   <see cref="TitleCacheOptions.CheckAfter"/>: in the background once it is half that old, before it is served once it
///   is that old. Every catalog write that changes this answer moves the title's updated_at, so another node's change
///   is served here at most that long.</item>
/// <item>Bounded by bytes: two generations (an approximate LRU without a lock on reads, as in the search cache); when the
///   young one holds half the budget it becomes the old one and the old one goes.</item>
/// </list>
/// </summary>
public sealed class TitleCache(TitleStore store, TitleCacheOptions options, TimeProvider clock)
{
    /// <summary>A title's answer: <see cref="Body"/> is null for a title still waiting for its first sync.</summary>
    public sealed class Entry(byte[]? body, string etag, DateTime updatedAt, DateTime? lastSyncedAt, bool hasProviderId, long checkedAt)
    {
        public byte[]? Body { get; } = body;
        public string ETag { get; } = etag;
        public DateTime UpdatedAt { get; } = updatedAt;
        public DateTime? LastSyncedAt { get; } = lastSyncedAt;
        public bool HasProviderId { get; } = hasProviderId;
        internal long CheckedAt = checkedAt;
        internal int Checking;
        public bool Pending => Body is null;
        internal long Size => (Body?.Length ?? 0) + ETag.Length * 2 + 96;
    }

    readonly long _generationBytes = Math.Max(1, options.MaxBytes / 2);
    readonly object _rotate = new();
    readonly ConcurrentDictionary<long, int> _writing = new();
    ConcurrentDictionary<long, Entry> _young = new();
    ConcurrentDictionary<long, Entry> _old = new();
    long _youngBytes;
    long _oldBytes;
    long _version;
    int _bulkWriters;

    public bool Enabled => options.MaxBytes > 0;

    /// <summary>Entries held and their approximate size (tests and the docs' bound).</summary>
    public (int Entries, long Bytes) Usage
    {
        get
        {
            lock (_rotate) return (_young.Count + _old.Count, Interlocked.Read(ref _youngBytes) + Interlocked.Read(ref _oldBytes));
        }
    }

    /// <summary>The title's answer, from the cache when current; null for an unknown id.</summary>
    public async Task<Entry?> GetAsync(long id, CancellationToken ct)
    {
        var usable = Enabled && Volatile.Read(ref _bulkWriters) == 0 && !_writing.ContainsKey(id);
        if (usable && Find(id) is { } hit)
        {
            var now = clock.GetTimestamp();
            var age = clock.GetElapsedTime(Interlocked.Read(ref hit.CheckedAt), now);
            if (age < options.CheckAfter / 2) return hit;
            if (age < options.CheckAfter)
            {
                // Still within the bound: served now, checked behind, so a title read often never waits for the check.
                CheckInBackground(id, hit);
                return hit;
            }
            // Old enough that another node may have changed the title: one cheap look at its stamp first.
            if (await CheckAsync(id, hit, now, ct) == true) return hit;
            Invalidate([id]);
        }
        return await LoadAsync(id, usable, ct);
    }

    /// <summary>
    /// True when the stored title still has the entry's updated_at (the entry then counts as checked at <paramref name="now"/>,
    /// taken before the query, so the bound holds); false when it changed or is gone; null when a write in this process
    /// ended meanwhile, so the answer can't be trusted either way.
    /// </summary>
    async Task<bool?> CheckAsync(long id, Entry hit, long now, CancellationToken ct)
    {
        var version = Version;
        var stamp = await store.StampAsync(id, ct);
        if (stamp is not { SyncState: null } s || s.UpdatedAt != hit.UpdatedAt) return false;
        if (version != Version) return null;
        Interlocked.Exchange(ref hit.CheckedAt, now);
        return true;
    }

    void CheckInBackground(long id, Entry hit)
    {
        if (Interlocked.Exchange(ref hit.Checking, 1) == 1) return;
        var now = clock.GetTimestamp();
        _ = Task.Run(async () =>
        {
            try
            {
                if (await CheckAsync(id, hit, now, CancellationToken.None) == false && (_young.TryGetValue(id, out var e) || _old.TryGetValue(id, out e)) && e == hit)
                    Invalidate([id]);
            }
            catch (System.Data.Common.DbException) { }   // left unchecked: a read past the bound checks before serving
            catch (InvalidOperationException) { }        // the database is going away with the host (disposed)
            finally { Volatile.Write(ref hit.Checking, 0); }
        });
    }

    async Task<Entry?> LoadAsync(long id, bool keep, CancellationToken ct)
    {
        var version = Version;
        var checkedAt = clock.GetTimestamp();
        var title = await store.GetAsync(id, ct);
        if (title is null) return null;
        var hasProviderId = title.ExternalIds.Tmdb is not null || title.ExternalIds.Tvdb is not null || title.ExternalIds.Imdb is not null;
        if (title.SyncState == "pending") return new Entry(null, "", title.UpdatedAt, title.LastSyncedAt, hasProviderId, checkedAt);
        var body = JsonSerializer.SerializeToUtf8Bytes(title, CatalogApiJsonContext.Default.TitleDetails);
        var entry = new Entry(body, Web.HttpCaching.ETagOf(body), title.UpdatedAt, title.LastSyncedAt, hasProviderId, checkedAt);
        if (keep) Set(id, entry, version);
        return entry;
    }

    long Version => Interlocked.Read(ref _version);

    Entry? Find(long id)
    {
        if (_young.TryGetValue(id, out var hit)) return hit;
        if (!_old.TryGetValue(id, out hit)) return null;
        Put(id, hit);   // used again: keep it through the next rotation
        return hit;
    }

    void Set(long id, Entry entry, long version)
    {
        // Not when a write began or ended while the title was read: what was read may be the old state.
        if (version != Version || Volatile.Read(ref _bulkWriters) != 0 || _writing.ContainsKey(id)) return;
        Put(id, entry);
        // A write that began after the check above drops the entry when it ends; one that ended in between bumped the version.
        if (version != Version) Invalidate([id]);
    }

    void Put(long id, Entry entry)
    {
        if (entry.Size > _generationBytes) return;
        lock (_rotate)
        {
            if (_young.TryGetValue(id, out var was)) _youngBytes -= was.Size;
            _young[id] = entry;
            _youngBytes += entry.Size;
            if (_old.TryRemove(id, out var old)) _oldBytes -= old.Size;
            if (_youngBytes < _generationBytes) return;
            _old = _young;
            _oldBytes = _youngBytes;
            _young = new ConcurrentDictionary<long, Entry>();
            _youngBytes = 0;
        }
    }

    /// <summary>Drops titles from the cache (after a write that changed them has committed).</summary>
    public void Invalidate(IEnumerable<long> ids)
    {
        lock (_rotate)
        {
            Interlocked.Increment(ref _version);
            foreach (var id in ids)
            {
                if (_young.TryRemove(id, out var y)) _youngBytes -= y.Size;
                if (_old.TryRemove(id, out var o)) _oldBytes -= o.Size;
            }
        }
    }

    public void Clear()
    {
        lock (_rotate)
        {
            Interlocked.Increment(ref _version);
            _young = new ConcurrentDictionary<long, Entry>();
            _old = new ConcurrentDictionary<long, Entry>();
            _youngBytes = _oldBytes = 0;
        }
    }

    /// <summary>
    /// Marks titles as being written until the returned scope is disposed (after the commit), which drops them and any
    /// <paramref name="alsoChanged"/> ids added to the scope. Null <paramref name="ids"/>: a bulk write of unknown titles;
    /// the whole cache is bypassed meanwhile.
    /// </summary>
    public WriteScope BeginWrite(IReadOnlyCollection<long>? ids)
    {
        if (ids is null) Interlocked.Increment(ref _bulkWriters);
        else foreach (var id in ids) _writing.AddOrUpdate(id, 1, (_, n) => n + 1);
        return new WriteScope(this, ids);
    }

    /// <summary>See <see cref="BeginWrite"/>. Add the titles a write turned out to change with <see cref="Changed"/>.</summary>
    public sealed class WriteScope(TitleCache cache, IReadOnlyCollection<long>? ids) : IDisposable
    {
        readonly List<long> _changed = [];
        bool _done;

        public void Changed(IEnumerable<long> titleIds) => _changed.AddRange(titleIds);

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            cache.Invalidate(ids is null ? _changed : ids.Concat(_changed));
            if (ids is null) Interlocked.Decrement(ref cache._bulkWriters);
            else
                foreach (var id in ids)
                    if (cache._writing.AddOrUpdate(id, 0, (_, n) => n - 1) <= 0) cache._writing.TryRemove(new KeyValuePair<long, int>(id, 0));
        }
    }
}

/// <summary><c>Watchlog:Catalog:TitleCacheMegabytes</c> (0 turns the cache off) and <c>…:TitleCacheCheckSeconds</c>.</summary>
public sealed record TitleCacheOptions(long MaxBytes, TimeSpan CheckAfter)
{
    public static TitleCacheOptions From(IConfiguration config)
    {
        var s = config.GetSection("Watchlog:Catalog");
        var mb = Number(s, "TitleCacheMegabytes", 64, 0, 1 << 20);
        var check = Number(s, "TitleCacheCheckSeconds", 10, 0, 86_400);
        return new TitleCacheOptions((long)(mb * 1024 * 1024), TimeSpan.FromSeconds(check));
    }

    static double Number(IConfigurationSection s, string key, double fallback, double min, double max)
    {
        if (s[key] is not { Length: > 0 } text) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        throw new SettingsException($"Watchlog:Catalog:{key} must be a number from {min} to {max}, not '{text}'.");
    }
}
