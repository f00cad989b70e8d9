using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Watchlog.Metadata;

namespace Watchlog.Tests.Metadata;

/// <summary>Contract tests: the real TMDB and TheTVDB clients against <see cref="FakeProvider"/> on 127.0.0.1.</summary>
public sealed class ProviderClientTests : IAsyncLifetime
{
    FakeProvider _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeProvider.StartAsync();
    public async Task DisposeAsync() => await _fake.DisposeAsync();

    MetadataOptions Options(string? apiKey = null, string? token = FakeProvider.TmdbToken, string? tvdbKey = FakeProvider.TvdbKey, string? pin = null,
        double rate = 0, double timeoutSeconds = 5) => new()
    {
        Tmdb = new ProviderOptions(_fake.TmdbUrl, apiKey, token, null, rate),
        Tvdb = new ProviderOptions(_fake.TvdbUrl, tvdbKey, null, pin, rate),
        RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    static TmdbClient Tmdb(MetadataOptions o) =>
        new(ProviderHandler.CreateClient("tmdb", o.Tmdb, o.RequestTimeout, TimeSpan.FromMilliseconds(20), NullLogger.Instance), o);

    static TvdbClient Tvdb(MetadataOptions o) =>
        new(ProviderHandler.CreateClient("tvdb", o.Tvdb, o.RequestTimeout, TimeSpan.FromMilliseconds(20), NullLogger.Instance), o, TimeProvider.System);

    [Fact]
    public async Task A_tmdb_series_comes_with_every_season_episode_credit_alias_and_watch_provider()
    {
        var title = await Tmdb(Options()).GetTitleAsync("series", 1396, CancellationToken.None);

        Assert.NotNull(title);
        var e = title.Entry;
        Assert.Equal(("series", "Series 1396", 2000), (e.Kind, e.Title, e.Year));
        Assert.Equal((FakeProvider.SeriesImdb(1396), 1396, FakeProvider.TvdbOffset + 1396), (e.ExternalIds!.Imdb, e.ExternalIds.Tmdb!.Value, e.ExternalIds.Tvdb!.Value));
        Assert.Equal([1, 2, 3], e.Seasons!.Select(s => s.Number!.Value));
        Assert.All(e.Seasons!, s => Assert.Equal([1, 2, 3, 4], s.Episodes!.Select(x => x.Number!.Value)));
        Assert.Equal(12, title.Episodes.Count);
        Assert.Equal(1396 * 10_000 + 201, title.Episodes[(2, 1)].TmdbId);
        Assert.Equal(["Crime", "Drama"], e.Genres!.Order());
        Assert.Equal("TV-MA", e.Certification);
        Assert.Equal(89, e.AudienceRating);
        Assert.Contains(e.Aliases!, a => a.Title == "Serie 1396" && a.Region == "DE");
        Assert.Equal(1 + 5 + 2, title.Credits.Count);   // creator, cast, crew
        Assert.Contains(title.Credits, c => c is { Role: "actor", Name: "Actor 0", Character: "Character 0", PersonId: 5000 });
        Assert.Contains(title.Credits, c => c is { Role: "director", Name: "Crew 0" });
        Assert.Contains(e.Platforms!, p => p is { Name: "Netflix", Region: "US", Monetization: "subscription" });
        Assert.Contains(e.Platforms!, p => p is { Name: "Apple TV", Region: "US", Monetization: "buy" });
        Assert.Contains(e.Platforms!, p => p is { Name: "Fakeflix Europe", Region: "DE" });
        Assert.Contains("\"tmdb_seasons\":[", title.Raw);
        Assert.Equal(1, _fake.Hits("/tmdb/3/tv/1396/season/3"));
    }

    [Fact]
    public async Task An_api_key_works_as_well_as_a_token_and_a_wrong_one_fails_without_retrying()
    {
        var movie = await Tmdb(Options(apiKey: FakeProvider.TmdbKey, token: null)).GetTitleAsync("movie", 550, CancellationToken.None);
        Assert.Equal(("Movie 550", 139, "R"), (movie!.Entry.Title, movie.Entry.RuntimeMin!.Value, movie.Entry.Certification));
        Assert.Contains(movie.Credits, c => c is { Role: "director", Name: "Director Person" });

        var e = await Assert.ThrowsAsync<ProviderException>(() => Tmdb(Options(apiKey: "wrong", token: null)).GetTitleAsync("movie", 551, CancellationToken.None));
        Assert.False(e.Transient);
        Assert.Contains("401", e.Message);
        Assert.Equal(1, _fake.Hits("/tmdb/3/movie/551"));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_time_its_retry_after_names()
    {
        _fake.Fail("/tmdb/3/movie/600", new FakeProvider.Fault(429, RetryAfter: "1"));
        var watch = Stopwatch.StartNew();
        var movie = await Tmdb(Options()).GetTitleAsync("movie", 600, CancellationToken.None);
        Assert.Equal("Movie 600", movie!.Entry.Title);
        Assert.Equal(2, _fake.Hits("/tmdb/3/movie/600"));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task Server_errors_are_retried_three_times_then_reported_as_transient()
    {
        _fake.Fail("/tmdb/3/movie/601", new FakeProvider.Fault(500), new FakeProvider.Fault(502));
        Assert.Equal("Movie 601", (await Tmdb(Options()).GetTitleAsync("movie", 601, CancellationToken.None))!.Entry.Title);
        Assert.Equal(3, _fake.Hits("/tmdb/3/movie/601"));

        _fake.Fail("/tmdb/3/movie/602", Enumerable.Repeat(new FakeProvider.Fault(503), 5).ToArray());
        var e = await Assert.ThrowsAsync<ProviderException>(() => Tmdb(Options()).GetTitleAsync("movie", 602, CancellationToken.None));
        Assert.True(e.Transient);
        Assert.Equal(4, _fake.Hits("/tmdb/3/movie/602"));   // the first try and 3 retries
    }

    [Fact]
    public async Task A_response_slower_than_the_timeout_is_abandoned_and_retried()
    {
        _fake.Fail("/tmdb/3/movie/603", new FakeProvider.Fault(Delay: TimeSpan.FromSeconds(5)));
        var watch = Stopwatch.StartNew();
        var movie = await Tmdb(Options(timeoutSeconds: 0.5)).GetTitleAsync("movie", 603, CancellationToken.None);
        Assert.Equal("Movie 603", movie!.Entry.Title);
        Assert.Equal(2, _fake.Hits("/tmdb/3/movie/603"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"waited {watch.Elapsed} for a response past the timeout");
    }

    [Fact]
    public async Task Malformed_json_and_a_missing_required_field_are_malformed_payloads()
    {
        _fake.Fail("/tmdb/3/movie/604", new FakeProvider.Fault(Body: "{\"id\": 604, \"title\": \"Trunc"));
        var bad = await Assert.ThrowsAsync<MalformedPayloadException>(() => Tmdb(Options()).GetTitleAsync("movie", 604, CancellationToken.None));
        Assert.Contains("not JSON", bad.Message);

        _fake.Nameless[605] = true;
        var missing = await Assert.ThrowsAsync<MalformedPayloadException>(() => Tmdb(Options()).GetTitleAsync("series", 605, CancellationToken.None));
        Assert.Contains("'name' is missing", missing.Message);
    }

    [Fact]
    public async Task Unknown_ids_are_null_and_imdb_ids_are_found()
    {
        var tmdb = Tmdb(Options());
        Assert.Null(await tmdb.GetTitleAsync("movie", 9_999_999 + 1_000_000, CancellationToken.None));
        Assert.Equal(("series", 81), await tmdb.FindAsync(null, FakeProvider.SeriesImdb(81), null, null, CancellationToken.None));
        Assert.Equal(("movie", 82), await tmdb.FindAsync(null, FakeProvider.MovieImdb(82), null, null, CancellationToken.None));
        var hits = await tmdb.SearchAsync("Series 42", null, null, CancellationToken.None);
        Assert.Equal(("series", 42, "Series 42"), (hits[0].Kind, hits[0].ProviderId, hits[0].Title));
    }

    [Fact]
    public async Task Tvdb_logs_in_pages_through_every_episode_and_logs_in_again_when_the_token_expires()
    {
        _fake.TvdbPageSize = 5;   // 12 episodes: 3 pages
        var tvdb = Tvdb(Options());
        var series = await tvdb.GetTitleAsync("series", FakeProvider.TvdbOffset + 7, CancellationToken.None);
        Assert.Equal(12, series!.Entry.Seasons!.Sum(s => s.Episodes!.Count));
        Assert.Equal(3, _fake.Hits($"/tvdb/v4/series/{FakeProvider.TvdbOffset + 7}/episodes/default"));
        Assert.Equal((FakeProvider.SeriesImdb(7), 7), (series.Entry.ExternalIds!.Imdb, series.Entry.ExternalIds.Tmdb!.Value));
        Assert.Contains("\"tvdb_episode_pages\":[", series.Raw);
        Assert.Equal(1, _fake.TvdbLogins);

        _fake.ExpireTvdbTokens();
        var again = await tvdb.GetTitleAsync("series", FakeProvider.TvdbOffset + 8, CancellationToken.None);
        Assert.Equal("Series 8", again!.Entry.Title);
        Assert.Equal(2, _fake.TvdbLogins);
    }

    [Fact]
    public async Task Tvdb_sends_the_subscriber_pin_and_a_refused_login_is_not_retried()
    {
        _fake.TvdbPin = "4321";
        Assert.NotNull(await Tvdb(Options(pin: "4321")).GetTitleAsync("series", FakeProvider.TvdbOffset + 9, CancellationToken.None));
        var e = await Assert.ThrowsAsync<ProviderException>(() => Tvdb(Options()).GetTitleAsync("series", FakeProvider.TvdbOffset + 9, CancellationToken.None));
        Assert.False(e.Transient);
    }

    [Fact]
    public async Task Both_numberings_are_kept_where_tmdb_and_tvdb_differ()
    {
        var o = Options();
        var fetcher = new TitleFetcher(Tmdb(o), Tvdb(o));
        var (providers, title) = await fetcher.FetchAsync(new TitleFetcher.Keys("series", 1396, null, null), kindKnown: true, CancellationToken.None);

        Assert.Equal("tmdb+tvdb", providers);
        // TMDB's S3E3 is TheTVDB's S4E1; S1E2 is numbered alike.
        Assert.Equal((4, 1), (title!.Episodes[(3, 3)].TvdbSeason!.Value, title.Episodes[(3, 3)].TvdbNumber!.Value));
        Assert.Equal((1, 2), (title.Episodes[(1, 2)].TvdbSeason!.Value, title.Episodes[(1, 2)].TvdbNumber!.Value));
        Assert.NotNull(title.Episodes[(3, 3)].TmdbId);
        Assert.NotNull(title.Episodes[(3, 3)].TvdbId);
        Assert.Contains("\"tvdb\":", title.Raw);
        Assert.Contains("\"tmdb\":", title.Raw);
    }

    [Fact]
    public async Task The_client_side_rate_limit_spaces_requests_out()
    {
        var tmdb = Tmdb(Options(rate: 5));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(700, 11).Select(id => tmdb.GetTitleAsync("movie", id, CancellationToken.None)));
        // 5 per second with a burst of 2: the 11th request can't start before ~1.8 s.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"11 requests at 5/s took only {watch.Elapsed}");
    }
}
