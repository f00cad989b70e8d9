using Watchlog.Search;

namespace Watchlog.Tests.Search;

public class GenerationCacheTests
{
    [Fact]
    public void A_weighted_cache_keeps_what_fits_its_budget_and_what_is_read_again()
    {
        // 1,000 bytes: each generation rotates at 500, so at most ~1,000 bytes are ever held.
        var cache = new GenerationCache<string, byte[]>(1000, StringComparer.Ordinal, (_, v) => v.Length);
        for (var i = 0; i < 5; i++) cache.Set($"k{i}", new byte[100]);   // fills the young generation: it becomes the old one
        Assert.Equal(0, cache.YoungWeight);
        Assert.True(cache.TryGet("k0", out _));                           // read again: copied into the young generation
        for (var i = 5; i < 9; i++) cache.Set($"k{i}", new byte[100]);   // 500 with k0: rotates, dropping k1…k4
        Assert.True(cache.TryGet("k0", out _));
        Assert.True(cache.TryGet("k8", out _));
        for (var i = 1; i < 5; i++) Assert.False(cache.TryGet($"k{i}", out _), $"k{i} outlived two generations");

        cache.Set("huge", new byte[600]);                                 // more than a generation: never cached
        Assert.False(cache.TryGet("huge", out _));
        Assert.True(cache.TryGet("k8", out _));
    }

    [Fact]
    public void An_unweighted_cache_counts_entries()
    {
        var cache = new GenerationCache<int, string>(4);
        cache.Set(1, "a");
        Assert.Equal(1, cache.YoungWeight);
        cache.Set(2, "b");                                                // two entries: the young generation rotates
        Assert.Equal(0, cache.YoungWeight);
        cache.Set(3, "c");
        cache.Set(4, "d");
        Assert.False(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(3, out var c) && c == "c");
    }

    [Fact]
    public void A_response_weighs_its_body_key_and_etag()
    {
        var body = new byte[3000];
        Assert.Equal(ResultCache.EntryOverhead + 2 * 10 + 3000 + 2 * 6, ResultCache.Weigh("0123456789", new CachedResponse(body, "\"abc\"x")));
    }
}
