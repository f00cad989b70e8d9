using Watchlog.Search;

namespace Watchlog.Tests.Search;

/// <summary>
/// The in-process index against a brute-force reading of the same titles: random catalogs whose words share prefixes
/// (so one-letter prefixes get precomputed top lists, and filters that reject most titles read past them), random
/// queries with alternatives and prefixes, filters, deleted titles and a delta segment.
/// </summary>
public class MemorySegmentTests
{
    const string Letters = "abcde";
    static readonly string[] Facets = ["rus", "rgb", "rglobal", "gdrama", "gcomedy", "pnetflix", "phulu"];

    static string Word(Random rng) => new([.. Enumerable.Range(0, rng.Next(1, 6)).Select(_ => Letters[rng.Next(Letters.Length)])]);

    static string Key(Random rng, int max) => string.Join(' ', Enumerable.Range(0, rng.Next(0, max + 1)).Select(_ => Word(rng)).Distinct());

    static List<IndexedDoc> Catalog(Random rng, int n, long firstId) => Enumerable.Range(0, n).Select(i =>
    {
        var id = firstId + i;
        var facets = string.Join(' ', Facets.Where(_ => rng.Next(3) == 0).Prepend(rng.Next(2) == 0 ? "kmovie" : "kseries"));
        return new IndexedDoc(SearchIndex.Rank(rng.NextDouble() * 1000, id), id, rng.Next(5) == 0 ? null : 1990 + rng.Next(30), rng.Next(5) == 0 ? null : rng.Next(20, 200), facets,
            Key(rng, 6), Key(rng, 2), rng.Next(3) == 0 ? Key(rng, 1) : "", Key(rng, 6));
    }).OrderBy(d => d.Rank).ToList();

    static IEnumerable<string> WordsOf(IndexedDoc d, MemoryTier tier) => (tier switch
    {
        MemoryTier.Titles => d.TitleKey + " " + d.AltKey,
        MemoryTier.Names => d.TitleKey + " " + d.AltKey + " " + d.NetworkKey,
        _ => d.PeopleKey,
    }).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    static bool Passes(IndexedDoc d, SearchFilter f)
    {
        var facets = d.Facets.Split(' ');
        return f.Required().All(facets.Contains) && (f.Regions is not { } rs || rs.Any(facets.Contains))
            && (f.YearFrom is null || d.Year >= f.YearFrom) && (f.YearTo is null || d.Year <= f.YearTo)
            && (f.RuntimeMax is null || d.RuntimeMin <= f.RuntimeMax);
    }

    static List<long> Expected(IEnumerable<IndexedDoc> docs, MemoryTier tier, IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms,
        SearchFilter filter, int limit) =>
        docs.Where(d => Passes(d, filter) && terms.All(t => WordsOf(d, tier).Any(w => t.Words.Any(a => t.Prefix ? w.StartsWith(a, StringComparison.Ordinal) : w == a))))
            .OrderBy(d => d.Rank).Take(limit).Select(d => d.Rank).ToList();

    static (IReadOnlyList<(IReadOnlyList<string>, bool)> Terms, SearchFilter Filter, int Limit) Query(Random rng)
    {
        var count = rng.Next(1, 4);
        var terms = Enumerable.Range(0, count).Select(i =>
        {
            var prefix = i == count - 1 && rng.Next(2) == 0;
            IReadOnlyList<string> words = [.. Enumerable.Range(0, rng.Next(1, 3)).Select(_ => prefix ? Word(rng)[..1] + (rng.Next(2) == 0 ? "" : Word(rng)[..1]) : Word(rng))];
            return (words, prefix);
        }).ToList();
        var filter = rng.Next(4) switch
        {
            0 => new SearchFilter(),
            1 => new SearchFilter(Region: rng.Next(2) == 0 ? "US" : "GB"),
            2 => new SearchFilter(Kind: "movie", GenreFacet: "gdrama", YearFrom: 2000, YearTo: 2004),
            _ => new SearchFilter(PlatformFacet: "phulu", RuntimeMax: 60, Region: "US"),
        };
        return (terms, filter, rng.Next(1, 4) == 1 ? 2000 : rng.Next(1, 60));
    }

    [Fact]
    public void Finds_what_a_scan_of_every_title_finds()
    {
        var rng = new Random(20261121);
        var docs = Catalog(rng, 6000, 1);
        var segment = MemorySegment.Builder.From(docs);
        Assert.Equal(docs.Count, segment.Count);
        Assert.InRange(segment.TopLists, Letters.Length, 100); // every first letter has one: queries read them, and past them
        var checkedNonEmpty = 0;
        for (var q = 0; q < 600; q++)
        {
            var (terms, filter, limit) = Query(rng);
            foreach (var tier in Enum.GetValues<MemoryTier>())
            {
                var expected = Expected(docs, tier, terms, filter, limit);
                var found = segment.Find(tier, terms, filter, limit, null).ConvertAll(segment.RankAt);
                Assert.True(expected.SequenceEqual(found),
                    $"{tier} {string.Join(" ", terms.Select(t => string.Join("|", t.Item1) + (t.Item2 ? "*" : "")))} {filter} limit {limit}: " +
                    $"expected {expected.Count}, found {found.Count}");
                if (expected.Count > 0) checkedNonEmpty++;
            }
        }
        Assert.True(checkedNonEmpty > 500, $"only {checkedNonEmpty} queries found anything: the comparison proves little");
    }

    [Fact]
    public void A_snapshot_with_deleted_titles_and_a_delta_finds_what_a_scan_finds()
    {
        var rng = new Random(7);
        var docs = Catalog(rng, 5000, 1);
        // A third of the titles rewritten (new words, new popularity), some removed, some new.
        var rewritten = docs.Where((_, i) => i % 3 == 0).Select(d => d.TitleId).ToHashSet();
        var removed = docs.Where((_, i) => i % 7 == 1).Select(d => d.TitleId).ToHashSet();
        var delta = Catalog(rng, rewritten.Count, 0).Zip(rewritten, (d, id) => d with { TitleId = id, Rank = SearchIndex.Rank(rng.NextDouble() * 1000, id) })
            .Concat(Catalog(rng, 300, 100_000)).ToDictionary(d => d.TitleId);
        var baseSegment = MemorySegment.Builder.From(docs);
        var deleted = new bool[baseSegment.Count];
        foreach (var n in baseSegment.NumbersOf(rewritten.Concat(removed).ToHashSet())) deleted[n] = true;
        var snapshot = new MemorySnapshot(2, baseSegment, deleted, delta);
        var now = docs.Where(d => !rewritten.Contains(d.TitleId) && !removed.Contains(d.TitleId)).Concat(delta.Values).ToList();
        Assert.Equal(now.Count, snapshot.Count);

        for (var q = 0; q < 300; q++)
        {
            var (terms, filter, limit) = Query(rng);
            foreach (var tier in Enum.GetValues<MemoryTier>())
                Assert.Equal(Expected(now, tier, terms, filter, limit), snapshot.Find(tier, terms, filter, limit));
        }
    }

    [Fact]
    public void A_word_only_in_the_network_is_a_name_but_not_a_title()
    {
        var docs = new[]
        {
            new IndexedDoc(SearchIndex.Rank(90, 1), 1, 2010, 50, "kseries rus", "blue planet", "", "bbc one bbcone", "david attenborough"),
            new IndexedDoc(SearchIndex.Rank(10, 2), 2, 2000, 90, "kmovie rus", "bbc story", "", "bbc", ""),
        }.OrderBy(d => d.Rank).ToList();
        var segment = MemorySegment.Builder.From(docs);
        List<long> Find(MemoryTier tier, string word, bool prefix) =>
            segment.Find(tier, [([word], prefix)], new SearchFilter(), 10, null).ConvertAll(segment.TitleIdAt);

        Assert.Equal(new long[] { 2 }, Find(MemoryTier.Titles, "bbc", false));        // the film has it in its title (and network)
        Assert.Equal(new long[] { 1, 2 }, Find(MemoryTier.Names, "bbc", false));
        Assert.Equal(new long[] { 2 }, Find(MemoryTier.Titles, "bb", true));
        Assert.Equal(new long[] { 1 }, Find(MemoryTier.People, "atten", true));
        Assert.Empty(Find(MemoryTier.Titles, "atten", true));
        Assert.Empty(Find(MemoryTier.People, "attenborough2", false));
    }
}
