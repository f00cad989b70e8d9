using Watchlog.Catalog;

namespace Watchlog.Tests.Support;

/// <summary>Small builders with readable defaults: a test shows the values it depends on.</summary>
public static class Make
{
    public static CatalogEntry Movie(string id, string title, int? year = 2000, string? imdb = null, int? tmdb = null) => new()
    {
        Id = id, Kind = "movie", Title = title, Year = year,
        ExternalIds = imdb is null && tmdb is null ? null : new ExternalIds { Imdb = imdb, Tmdb = tmdb },
    };

    public static CatalogEntry Series(string id, string title, int? year = 2010, params (int Season, int Episodes)[] seasons) => new()
    {
        Id = id, Kind = "series", Title = title, Year = year,
        Seasons = seasons.Select(s => new SeasonEntry
        {
            Number = s.Season,
            Episodes = Enumerable.Range(1, s.Episodes).Select(n => new EpisodeEntry { Number = n, Title = $"Episode {n}" }).ToList(),
        }).ToList(),
    };

    public static IReadOnlyList<SourcedEntry> Lines(params CatalogEntry[] entries) =>
        entries.Select((e, i) => new SourcedEntry(i + 1, e)).ToList();
}

/// <summary>A clock the test moves by hand (the FakeTimeProvider package is not on our mirror).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
