using System.Text.Json;
using System.Text.Json.Serialization;
using Watchlog.Web;

namespace Watchlog.Catalog;

public static class CatalogModule
{
    const string PublicCache = "public, max-age=300, stale-while-revalidate=3600";

    public static void AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TitleStore>();
        builder.Services.AddSingleton(TitleCacheOptions.From(builder.Configuration));
        builder.Services.AddSingleton<TitleCache>();   // one per process: the point is sharing answers across requests
        builder.Services.AddSingleton<CatalogWriter>();
        builder.Services.AddSingleton<StarterCatalog>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CatalogApiJsonContext.Default));
    }

    public static void MapCatalog(this WebApplication app, IEndpointRouteBuilder api)
    {
        var titles = api.MapGroup("/titles").WithTags("Catalog");
        titles.MapGet("/{id:long}", GetTitleAsync)
            .WithSummary("A title with its genres, credits, seasons (with episode counts), external ids and availability by region")
            .Produces<TitleDetails>().ProducesProblem(404);
        titles.MapGet("/{id:long}/seasons/{number:int}", GetSeasonAsync)
            .WithSummary("One season of a series with its episodes")
            .Produces<SeasonDetails>().ProducesProblem(404);
        api.MapGet("/people/{id:long}", GetPersonAsync).WithTags("Catalog")
            .WithSummary("A person with their filmography").Produces<PersonDetails>().ProducesProblem(404);
        api.MapGet("/platforms", GetPlatformsAsync).WithTags("Catalog")
            .WithSummary("The platform registry: stable slugs, display names and the aliases imports accept")
            .Produces<ItemList<PlatformItem>>();
    }

    static async Task<IResult> GetTitleAsync(long id, TitleCache titles, Metadata.SyncQueue sync, HttpContext http, CancellationToken ct)
    {
        if (await titles.GetAsync(id, ct) is not { } title) return NotFound("title", id);
        // Database first: a placeholder waits for its first sync (202); a stale title is served and refreshed behind.
        if (title.Pending) return Metadata.MetadataModule.Accepted(http, id, "The title is being fetched from the metadata provider; ask again shortly.");
        if (sync.IsStale(title.LastSyncedAt, title.HasProviderId)) sync.RefreshInBackground(id);
        return HttpCaching.CachedBytes(http, title.Body!, title.ETag, PublicCache);
    }

    static async Task<IResult> GetSeasonAsync(long id, int number, TitleStore store, HttpContext http, CancellationToken ct) =>
        await store.GetSeasonAsync(id, number, ct) is { } season
            ? HttpCaching.CachedJson(http, season, CatalogApiJsonContext.Default.SeasonDetails, PublicCache)
            : TypedResults.Problem($"Title {id} has no season {number}.", statusCode: 404, title: "Not found");

    static async Task<IResult> GetPersonAsync(long id, TitleStore store, HttpContext http, CancellationToken ct) =>
        await store.GetPersonAsync(id, ct) is { } person
            ? HttpCaching.CachedJson(http, person, CatalogApiJsonContext.Default.PersonDetails, PublicCache)
            : NotFound("person", id);

    static async Task<IResult> GetPlatformsAsync(TitleStore store, HttpContext http, CancellationToken ct) =>
        HttpCaching.CachedJson(http, new ItemList<PlatformItem>(await store.PlatformsAsync(ct), null),
            CatalogApiJsonContext.Default.ItemListPlatformItem, PublicCache);

    static IResult NotFound(string what, long id) =>
        TypedResults.Problem($"There is no {what} with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TitleDetails))]
[JsonSerializable(typeof(SeasonDetails))]
[JsonSerializable(typeof(PersonDetails))]
[JsonSerializable(typeof(ItemList<PlatformItem>))]
internal sealed partial class CatalogApiJsonContext : JsonSerializerContext;
