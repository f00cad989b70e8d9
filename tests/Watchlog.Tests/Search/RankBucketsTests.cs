using Watchlog.Search;
using static Watchlog.Tests.Search.SearchFixture;

namespace Watchlog.Tests.Search;

/// <summary>PostgreSQL reads search tiers bucket by bucket (<see cref="RankBuckets"/>); the buckets may change the plan, never the answer.</summary>
public class RankBucketsTests
{
    internal static readonly string[] Urls =
    [
        "/api/search?q=b", "/api/search?q=br", "/api/search?q=breaking", "/api/search?q=breakin%20bad", "/api/search?q=spider",
        "/api/search?q=spider%20man", "/api/search?q=robots", "/api/search?q=bryan%20cranston", "/api/search?q=amc",
        "/api/search?q=amelie", "/api/search?q=fabuleux%20destin", "/api/search?q=the%20dune", "/api/search?q=love", "/api/search?q=e",
        "/api/search?q=s&type=movie", "/api/search?q=s&type=movie&page_size=2&page=2", "/api/search?q=s&year_from=2000&year_to=2015",
        "/feed?q=p&region=GB", "/feed?q=s&region=US&limit=5", "/feed?q=a&region=FR", "/feed?q=documentary&region=US",
    ];

    [PostgresOnly]
    public async Task Answers_are_the_same_in_one_bucket_and_in_many()
    {
        await using var test = await TestDb.CreateAsync(Engine.Postgres);
        await SeedAsync(test);
        await using var one = new WatchlogApp(test, s => s["Watchlog:Search:RankBuckets"] = "none");
        await using var many = new WatchlogApp(test, s => s["Watchlog:Search:RankBuckets"] = "1,3,6,10");
        var empty = new List<string>();
        foreach (var url in Urls)
        {
            var expected = (await one.GetJsonAsync(url)).GetRawText();
            Assert.Equal(expected, (await many.GetJsonAsync(url)).GetRawText());
            if (expected.Contains("\"results\":[]", StringComparison.Ordinal)) empty.Add(url);
        }
        Assert.True(empty.Count == 0, $"found nothing, so the comparison proves little: {string.Join(", ", empty)}");
    }

    [Fact]
    public void Positions_come_from_configuration_and_bad_ones_are_refused()
    {
        Assert.Equal(RankBuckets.DefaultPositions, RankBuckets.Parse(null));
        Assert.Equal([500, 20_000], RankBuckets.Parse(" 500, 20000 "));
        Assert.Empty(RankBuckets.Parse("none"));
        Assert.Contains("'x'", Assert.Throws<InvalidOperationException>(() => RankBuckets.Parse("500,x")).Message);
        Assert.Contains("increase", Assert.Throws<InvalidOperationException>(() => RankBuckets.Parse("500,20")).Message);
    }
}
