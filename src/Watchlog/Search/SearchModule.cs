using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Watchlog.Catalog;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Search;

/// <summary>
/// <c>GET /api/search</c> (paged, filtered) and <c>GET /feed</c> (the public feed contract). Both are public, cacheable
/// reads: problem+json 400s name the field, responses carry an ETag and answer 304 to a matching If-None-Match, and a
/// per-process <see cref="ResultCache"/> serves repeated queries without touching the database.
/// </summary>
public static class SearchModule
{
    public const string PublicCache = "public, max-age=300, stale-while-revalidate=3600";
    public const int MaxQueryLength = 120;

    /// <summary>About 7,000 repeated feed answers of 24 results (about 3.3 KB each with their key).</summary>
    public const int DefaultCacheMegabytes = 24;

    public static void AddSearch(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Watchlog:Search");
        var cacheMegabytes = section["CacheMegabytes"] switch
        {
            null or "" => DefaultCacheMegabytes,
            var m when int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb <= 64 * 1024 => mb,
            var m => throw new InvalidOperationException($"Watchlog:Search:CacheMegabytes must be a whole number of megabytes (0 turns the cache off), not '{m}'."),
        };
        var imageBase = section["ImageBaseUrl"] is { Length: > 0 } b ? b.TrimEnd('/') : "https://image.tmdb.org/t/p/w342";
        var buckets = RankBuckets.Parse(section["RankBuckets"]);
        builder.Services.AddSingleton(sp => new RankBuckets(buckets, sp.GetRequiredService<TimeProvider>()));
        var memory = section["MemoryIndex"] switch
        {
            null or "" => true,
            var m when bool.TryParse(m, out var on) => on,
            var m => throw new InvalidOperationException($"Watchlog:Search:MemoryIndex must be true or false, not '{m}'."),
        };
        builder.Services.AddSingleton(sp => new MemoryIndex(sp.GetRequiredService<Db>(), sp.GetRequiredService<ILogger<MemoryIndex>>(),
            sp.GetRequiredService<TimeProvider>(), memory));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MemoryIndex>());
        builder.Services.AddSingleton<SearchStore>();
        builder.Services.AddSingleton<SearchService>();
        builder.Services.AddSingleton(sp => new ResultCache(sp.GetRequiredService<SearchService>(), sp.GetRequiredService<MemoryIndex>(), cacheMegabytes * 1024L * 1024, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(new SearchImages(imageBase));
        builder.Services.AddHostedService<SearchBackfill>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SearchJsonContext.Default));
    }

    public static void MapSearch(this WebApplication app, IEndpointRouteBuilder api)
    {
        api.MapGet("/search", SearchAsync).WithTags("Search")
            .WithSummary("Ranked, typo-tolerant title search with filters; higher score is better")
            .Produces<SearchResponse>().ProducesValidationProblem();
        api.MapGet("/search/status", (MemoryIndex memory) => TypedResults.Ok(new SearchStatus(
                !memory.Enabled ? "off" : memory.Ready ? "ready" : "building", memory.Titles)))
            .WithTags("Search").WithSummary("Whether searches are answered from the in-process index yet (\"building\" at start-up on a large catalog: the database answers meanwhile)");
        app.MapGet("/feed", FeedAsync).WithTags("Search")
            .WithSummary("The public feed: titles matching q that are released or available in a region (or have no region information)")
            .Produces<FeedResponse>().ProducesValidationProblem();
    }

    static async Task<IResult> FeedAsync(HttpContext http, ResultCache cache, SearchService search, SearchImages images, CancellationToken ct,
        string? q = null, string? region = null, string? limit = null)
    {
        var errors = new FieldErrors();
        var query = CheckQuery(errors, q);
        var reg = region is null ? "US" : CheckRegion(errors, region);
        var lim = CheckInt(errors, "limit", limit, 1, 100) ?? 24;
        if (errors.Any) return errors.ToResult();

        var parsed = SearchQuery.Parse(query);
        var key = $"feed\u0001{query}\u0001{reg}\u0001{lim}"; // the raw q: the answer echoes it
        if (await cache.GetAsync(key, ct) is { } hit) return HttpCaching.CachedBytes(http, hit.Body, hit.ETag, PublicCache);
        var version = cache.Version;

        var filter = new SearchFilter(Region: reg);
        var outcome = await search.SearchAsync(parsed, filter, lim, countTotal: false, ct);
        var page = outcome.Results.Take(lim).ToList();
        var runtimes = await search.EpisodeRuntimesAsync(
            page.Where(r => r.Doc.Kind == "series" && r.Doc.RuntimeMin is null).Select(r => r.Doc.TitleId).ToList(), ct);
        var items = page.Select(r => new FeedItem(
            r.Doc.TitleId, r.Doc.Title, Channel(r.Doc, reg!),
            DurationSeconds(r.Doc.RuntimeMin ?? runtimes.GetValueOrDefault(r.Doc.TitleId)),
            images.Absolute(r.Doc.Poster) ?? "", r.Doc.HasFacet("rglobal") ? "GLOBAL" : reg!, r.Score)).ToList();
        var body = JsonSerializer.SerializeToUtf8Bytes(new FeedResponse(query!, reg!, items.Count, items), SearchJsonContext.Default.FeedResponse);
        var response = new CachedResponse(body, HttpCaching.ETagOf(body));
        cache.Set(key, response, version);
        return HttpCaching.CachedBytes(http, response.Body, response.ETag, PublicCache);
    }

    static async Task<IResult> SearchAsync(HttpContext http, ResultCache cache, SearchService search, SearchImages images, Db db,
        Metadata.RemoteSearch remoteSearch, CancellationToken ct,
        string? q = null, string? type = null, string? genre = null, string? platform = null, string? region = null,
        string? year_from = null, string? year_to = null, string? runtime_max = null, string? page = null, string? page_size = null, string? remote = null)
    {
        var errors = new FieldErrors();
        var remoteFlag = Metadata.RemoteSearch.Flag(errors, remote);
        var query = CheckQuery(errors, q);
        if (type is not null && type is not ("movie" or "series")) errors.Add("type", "Must be 'movie' or 'series'.");
        var reg = region is null ? null : CheckRegion(errors, region);
        var yearFrom = CheckInt(errors, "year_from", year_from, 1800, 2200);
        var yearTo = CheckInt(errors, "year_to", year_to, 1800, 2200);
        if (yearFrom > yearTo) errors.Add("year_to", "Must not be before year_from.");
        var runtimeMax = CheckInt(errors, "runtime_max", runtime_max, 1, 10_000);
        var size = CheckInt(errors, "page_size", page_size, 1, 100) ?? 20;
        var number = CheckInt(errors, "page", page, 1, SearchService.MaxWindow) ?? 1;
        if (!errors.Has("page") && !errors.Has("page_size") && number * size > SearchService.MaxWindow)
            errors.Add("page", $"Only the first {SearchService.MaxWindow} results can be paged through; refine the query.");
        if (genre is not null && genre.Length > 100) errors.Add("genre", "At most 100 characters.");
        if (platform is not null && platform.Length > 100) errors.Add("platform", "At most 100 characters.");
        if (errors.Any) return errors.ToResult();

        string? genreFacet = null, platformFacet = null;
        if (genre is not null || platform is not null)
        {
            await using var conn = await db.OpenAsync(ct);
            if (genre is not null)
            {
                var slug = Normalize.Slug(genre);
                genreFacet = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT slug FROM genres WHERE slug = @slug", new { slug }, cancellationToken: ct)) is { } g ? SearchIndex.GenreFacet(g) : null;
                if (genreFacet is null) errors.Add("genre", $"Unknown genre '{genre}': use a genre's slug or name.");
            }
            if (platform is not null)
            {
                var slug = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT p.slug FROM platforms p WHERE p.slug = @raw UNION SELECT p.slug FROM platform_aliases a JOIN platforms p ON p.id = a.platform_id WHERE a.alias = @key",
                    new { raw = platform.Trim().ToLowerInvariant(), key = Normalize.PlatformKey(platform) }, cancellationToken: ct));
                platformFacet = slug is null ? null : SearchIndex.PlatformFacet(slug);
                if (platformFacet is null) errors.Add("platform", $"Unknown platform '{platform}': use a slug or a name from /api/platforms.");
            }
            if (errors.Any) return errors.ToResult();
        }

        var parsed = SearchQuery.Parse(query);
        var key = string.Join('\u0001', "search", query, type, genreFacet, platformFacet, reg, yearFrom, yearTo, runtimeMax, number, size);
        if (await cache.GetAsync(key, ct) is { } hit) return await remoteSearch.AnswerAsync(http, hit.Body, hit.ETag, PublicCache, query!, type, remoteFlag, ct);
        var version = cache.Version;

        var filter = new SearchFilter(type, reg, genreFacet, platformFacet, yearFrom, yearTo, runtimeMax);
        var outcome = await search.SearchAsync(parsed, filter, number * size, countTotal: true, ct);
        var items = outcome.Results.Skip((number - 1) * size).Take(size).Select(r => new SearchItem(
            r.Doc.TitleId, r.Doc.Kind, r.Doc.Title, r.Doc.Year, r.Doc.RuntimeMin,
            r.Doc.Genres.Length == 0 ? [] : r.Doc.Genres.Split('|'),
            Platforms(r.Doc, reg), images.Absolute(r.Doc.Poster), r.Score)).ToList();
        var body = JsonSerializer.SerializeToUtf8Bytes(new SearchResponse(query!, number, size, outcome.Total, items), SearchJsonContext.Default.SearchResponse);
        var response = new CachedResponse(body, HttpCaching.ETagOf(body));
        cache.Set(key, response, version);
        return await remoteSearch.AnswerAsync(http, response.Body, response.ETag, PublicCache, query!, type, remoteFlag, ct);
    }

    static string? CheckQuery(FieldErrors errors, string? q)
    {
        if (string.IsNullOrEmpty(q)) { errors.Add("q", "Required: 1 to 120 characters."); return null; }
        if (q.Length > MaxQueryLength) { errors.Add("q", $"At most {MaxQueryLength} characters."); return null; }
        return q;
    }

    static string? CheckRegion(FieldErrors errors, string region)
    {
        if (region.Length == 2 && char.IsAsciiLetter(region[0]) && char.IsAsciiLetter(region[1])) return region.ToUpperInvariant();
        errors.Add("region", "Must be a two-letter region code such as US or GB.");
        return null;
    }

    static int? CheckInt(FieldErrors errors, string field, string? value, int min, int max)
    {
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        errors.Add(field, $"Must be a whole number from {min} to {max}.");
        return null;
    }

    static int? DurationSeconds(int minutes) => minutes > 0 ? minutes * 60 : null;

    /// <summary>The network or studio, else the first platform the title is on in the region.</summary>
    static string Channel(Candidate c, string region)
    {
        if (!string.IsNullOrWhiteSpace(c.Network)) return c.Network;
        foreach (var pair in c.Platforms.Split('|', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Length > 3 && pair[2] == ':' && string.CompareOrdinal(pair, 0, region, 0, 2) == 0) return pair[3..];
        return "";
    }

    static IReadOnlyList<string> Platforms(Candidate c, string? region)
    {
        var names = new List<string>();
        foreach (var pair in c.Platforms.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.Length <= 3 || pair[2] != ':') continue;
            if (region is not null && string.CompareOrdinal(pair, 0, region, 0, 2) != 0) continue;
            var name = pair[3..];
            if (!names.Contains(name)) names.Add(name);
        }
        return names;
    }
}

/// <summary>Poster paths from providers are relative to an image host; URLs already absolute stay as they are.</summary>
public sealed class SearchImages(string baseUrl)
{
    public string? Absolute(string? poster)
    {
        if (string.IsNullOrWhiteSpace(poster)) return null;
        if (poster.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || poster.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) return poster;
        return poster.StartsWith('/') ? baseUrl + poster : null;
    }
}

public sealed record SearchStatus(string MemoryIndex, int? Titles);
public sealed record FeedItem(long Id, string Title, string Channel, int? DurationSeconds, string Thumbnail, string Region, double Score);
public sealed record FeedResponse(string Query, string Region, int Count, IReadOnlyList<FeedItem> Results);
public sealed record SearchItem(long Id, string Type, string Title, int? Year, int? RuntimeMin, IReadOnlyList<string> Genres,
    IReadOnlyList<string> Platforms, string? Poster, double Score);
public sealed record SearchResponse(string Query, int Page, int PageSize, int Total, IReadOnlyList<SearchItem> Results);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FeedResponse))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(SearchStatus))]
internal sealed partial class SearchJsonContext : JsonSerializerContext;
