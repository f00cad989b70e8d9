using Watchlog.Search;

namespace Watchlog.Tests.Search;

public class GenerationCacheTests
{
    static GenerationCache<string, byte[]> Bytes(long capacity) => new(capacity, StringComparer.Ordinal, (_, v) => v.Length);

    [Fact]
    public void Entries_read_since_the_last_rotation_survive_the_next_one_and_the_rest_go()
    {
        var cache = Bytes(1000);
        for (var i = 0; i < 10; i++) cache.Set($"k{i}", new byte[100]);   // 1,000 bytes: the young generation becomes old
        Assert.Equal(1000, cache.Weight);
        Assert.True(cache.TryGet("k0", out _));                           // moved into the young generation
        Assert.Equal(1000, cache.Weight);
        cache.Set("k10", new byte[100]);                                  // 1,100 bytes: the old generation (k1…k9) goes
        Assert.Equal(200, cache.Weight);
        Assert.True(cache.TryGet("k0", out _));
        Assert.True(cache.TryGet("k10", out _));
        for (var i = 1; i < 10; i++) Assert.False(cache.TryGet($"k{i}", out _), $"k{i} was not read and outlived a rotation");
    }

    [Fact]
    public void A_set_read_in_turns_that_fits_the_capacity_stays_whole()
    {
        var cache = Bytes(1000);
        for (var i = 0; i < 10; i++) cache.Set($"k{i}", new byte[100]);   // rotates: all ten are old
        for (var round = 0; round < 5; round++)
            for (var i = 0; i < 8; i++)
                Assert.True(cache.TryGet($"k{i}", out _), $"round {round}: k{i} was lost");
        cache.Set("k10", new byte[100]);                                  // rotates again: k8 and k9 were not read
        for (var i = 0; i < 8; i++) Assert.True(cache.TryGet($"k{i}", out _));
        Assert.False(cache.TryGet("k8", out _));
        Assert.Equal(900, cache.Weight);
    }

    [Fact]
    public void An_entry_heavier_than_half_the_capacity_is_not_kept()
    {
        var cache = Bytes(1000);
        cache.Set("small", new byte[100]);
        cache.Set("huge", new byte[600]);
        Assert.False(cache.TryGet("huge", out _));
        Assert.True(cache.TryGet("small", out _));
    }

    [Fact]
    public void An_unweighted_cache_counts_entries()
    {
        var cache = new GenerationCache<int, string>(4);
        foreach (var i in new[] { 1, 2, 3, 4 }) cache.Set(i, $"v{i}");   // four: the young generation becomes old
        Assert.True(cache.TryGet(1, out var one) && one == "v1");
        cache.Set(5, "v5");                                              // 2 young + 3 old: rotates, dropping 2, 3, 4
        Assert.Equal(2, cache.Weight);
        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(5, out _));
    }

    [Fact]
    public void A_response_weighs_its_body_key_and_etag()
    {
        var body = new byte[3000];
        Assert.Equal(ResultCache.EntryOverhead + 2 * 10 + 3000 + 2 * 6, ResultCache.Weigh("0123456789", new CachedResponse(body, "\"abc\"x")));
    }
}
