using Watchlog.Catalog;

namespace Watchlog.Metadata;

/// <summary>
/// A metadata provider (TMDB, TheTVDB): the one boundary between Watchlog and the outside world's catalogs. Each is a
/// typed HttpClient behind <see cref="ProviderHandler"/> (timeout, retries, circuit breaker, rate limit). A provider
/// without credentials is off (<see cref="Enabled"/> false) and is never called.
/// </summary>
public interface IMetadataSource
{
    /// <summary>"tmdb" or "tvdb": the source name in title_sources, availability and the sync log.</summary>
    string Name { get; }
    bool Enabled { get; }

    /// <summary>Movies and series matching <paramref name="query"/> (the provider's first page).</summary>
    Task<IReadOnlyList<RemoteTitle>> SearchAsync(string query, string? kind, int? year, CancellationToken ct);

    /// <summary>The whole title: details, credits, seasons with every episode; null when the provider has no such id.</summary>
    Task<FetchedTitle?> GetTitleAsync(string kind, int id, CancellationToken ct);

    /// <summary>This provider's id for a title known by another id (IMDb, or the other provider's); null when unknown.</summary>
    Task<(string Kind, int Id)?> FindAsync(string? kind, string? imdb, int? tmdb, int? tvdb, CancellationToken ct);

    /// <summary>A person's biography, dates and filmography; null when unknown or not offered by this provider.</summary>
    Task<FetchedPerson?> GetPersonAsync(int id, CancellationToken ct);
}

/// <summary>A provider search hit, not (necessarily) stored.</summary>
public sealed record RemoteTitle(string Provider, int ProviderId, string Kind, string Title, int? Year, string? Overview, string? Poster, double Popularity);

/// <summary>A title as fetched and mapped: the catalog entry the write path takes, plus what only a provider knows.</summary>
public sealed class FetchedTitle
{
    public required string Provider { get; init; }
    public required int ProviderId { get; init; }
    public required CatalogEntry Entry { get; init; }
    public List<FetchedCredit> Credits { get; init; } = [];
    /// <summary>Provider ids and the other numbering of each episode, keyed by the primary (season, number).</summary>
    public Dictionary<(int Season, int Number), EpisodeIds> Episodes { get; init; } = [];
    public Dictionary<int, SeasonIds> Seasons { get; init; } = [];
    /// <summary>Every payload the title was built from, as one JSON object (kept whole in titles.raw).</summary>
    public required string Raw { get; set; }
}

public sealed record FetchedCredit(string Provider, int PersonId, string Name, string Role, string? Character, string? Job, string? Profile);

public sealed record EpisodeIds(int? TmdbId, int? TvdbId, int? TvdbSeason, int? TvdbNumber, string? Still);

public sealed record SeasonIds(int? TmdbId, int? TvdbId, string? Poster);

public sealed record FetchedPerson(int TmdbId, string Name, string? ImdbId, DateOnly? Birthday, DateOnly? Deathday, string? BirthPlace,
    string? Biography, string? Profile, double Popularity, string Raw);

/// <summary>A provider call that failed. <see cref="Transient"/>: worth retrying later (5xx, 429, timeouts, open circuit).</summary>
public class ProviderException(string provider, string message, bool transient, Exception? inner = null) : Exception($"{provider}: {message}", inner)
{
    public string Provider { get; } = provider;
    public bool Transient { get; } = transient;
}

/// <summary>A payload that isn't JSON, or lacks a field the title can't do without. Nothing of the title is written.</summary>
public sealed class MalformedPayloadException(string provider, string message, Exception? inner = null)
    : ProviderException(provider, "malformed payload: " + message, transient: false, inner);
