namespace Watchlog.Catalog;

// Wire records of the catalog API (snake_case on the wire). Records that Dapper fills have init properties:
// its constructor matching is type-exact, and SQLite hands back Int64 where PostgreSQL gives int4.

public sealed record TitleDetails(
    long Id, string Kind, string Title, string? OriginalTitle, int? Year, int? RuntimeMin, string? Network, string? Status,
    string? Certification, string? Overview, DateOnly? FirstAirDate, DateOnly? LastAirDate, double Popularity,
    double? CriticRating, int? CriticVotes, double? AudienceRating, int? AudienceVotes, string? Poster, string? Backdrop,
    IReadOnlyList<string> Genres, IReadOnlyList<string> Regions, TitleExternalIds ExternalIds, IReadOnlyList<TitleAlias> Aliases,
    IReadOnlyList<TitleCredit> Credits, IReadOnlyList<SeasonSummary> Seasons,
    IReadOnlyDictionary<string, IReadOnlyList<AvailabilityItem>> Availability,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? LastSyncedAt,
    [property: System.Text.Json.Serialization.JsonIgnore] string? SyncState = null);

public sealed record TitleExternalIds(string? Imdb, int? Tmdb, int? Tvdb);

public sealed record TitleAlias
{
    public string Title { get; init; } = "";
    public string? Region { get; init; }
    public string? Language { get; init; }
    public string? Kind { get; init; }
}

public sealed record TitleCredit
{
    public long PersonId { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string? Character { get; init; }
    public string? Job { get; init; }
}

public sealed record SeasonSummary
{
    public int Number { get; init; }
    public string? Name { get; init; }
    public DateOnly? AirDate { get; init; }
    public int EpisodeCount { get; init; }
}

public sealed record AvailabilityItem(string Platform, string PlatformName, string Monetization, DateOnly? AvailableFrom, DateOnly? ExpiresOn);

public sealed record SeasonDetails(long TitleId, int Number, string? Name, DateOnly? AirDate, string? Overview, IReadOnlyList<EpisodeItem> Episodes);

public sealed record EpisodeItem
{
    public long Id { get; init; }
    public int Number { get; init; }
    public int? AbsoluteNumber { get; init; }
    public string? Title { get; init; }
    public DateOnly? AirDate { get; init; }
    public int? RuntimeMin { get; init; }
    public string? Overview { get; init; }
}

public sealed record PersonDetails(
    long Id, string Name, string? ImdbId, int? TmdbId, DateOnly? BirthDate, DateOnly? DeathDate, int? BirthYear, int? DeathYear,
    string? BirthPlace, string? Biography, string? Profile, IReadOnlyList<FilmographyItem> Filmography);

public sealed record FilmographyItem
{
    public long TitleId { get; init; }
    public string Title { get; init; } = "";
    public string Kind { get; init; } = "";
    public int? Year { get; init; }
    public string Role { get; init; } = "";
    public string? Character { get; init; }
    public string? Job { get; init; }
}

public sealed record GenreItem
{
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
}

public sealed record PlatformItem(string Slug, string Name, string? Homepage, IReadOnlyList<string> Aliases);

public sealed record ItemList<T>(IReadOnlyList<T> Items, string? NextCursor);
