using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary>
/// The personal viewing log: check-ins, history, progress ("up next"), ratings, the watchlist, subscribed platforms
/// and preferences. Every endpoint needs a signed-in user, answers <c>Cache-Control: private, no-store</c>, and reads
/// and writes only that user's rows (another user's ids are 404).
/// </summary>
public static class TrackingModule
{
    public static void AddTracking(this IHostApplicationBuilder builder)
    {
        // Stateless over the Db singleton, like the catalog and account stores.
        builder.Services.AddSingleton<PlatformDirectory>();
        builder.Services.AddSingleton<CheckInStore>();
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddSingleton<RecordCheckIns>();
        builder.Services.AddSingleton<ProgressStore>();
        builder.Services.AddSingleton<RatingStore>();
        builder.Services.AddSingleton<WatchlistStore>();
        builder.Services.AddSingleton<MarkWatched>();
        builder.Services.AddSingleton<PreferenceStore>();
        builder.Services.AddSingleton<UpdatePreferences>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, TrackingApiJsonContext.Default));
    }

    /// <summary>Endpoints under <paramref name="api"/> (<c>/api</c>).</summary>
    public static void MapTracking(this WebApplication app, IEndpointRouteBuilder api)
    {
        CheckInEndpoints.Map(api);
        RatingEndpoints.Map(api);
        WatchlistEndpoints.Map(api);
        PreferenceEndpoints.Map(api);
        app.MapTrackingPages();
    }

    /// <summary>A group of personal endpoints: signed-in users only, never cached, token- or key-authenticated (no antiforgery).</summary>
    internal static RouteGroupBuilder Personal(this IEndpointRouteBuilder api, string prefix) =>
        api.MapGroup(prefix).WithTags("Viewing log").RequireAuthorization().DisableAntiforgery().WithPrivateNoStore();
}
