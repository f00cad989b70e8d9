using Watchlog.Accounts;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary><c>/api/me/platforms</c> (the services you subscribe to, and your region) and <c>/api/me/preferences</c>.</summary>
static class PreferenceEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var platforms = api.Personal("/me/platforms");
        platforms.MapGet("", GetPlatformsAsync)
            .WithSummary("Your region and the platforms you subscribe to")
            .Produces<MyPlatforms>().ProducesProblem(401);
        platforms.MapPut("", PutPlatformsAsync)
            .WithSummary("Set your region and the platforms you subscribe to (slugs or names; replaces the list)")
            .Accepts<PlatformsRequest>("application/json")
            .Produces<MyPlatforms>().ProducesValidationProblem().ProducesProblem(401);

        var preferences = api.Personal("/me/preferences");
        preferences.MapGet("", GetPreferencesAsync)
            .WithSummary("Your moods, genres to avoid and notification settings")
            .Produces<Preferences>().ProducesProblem(401);
        preferences.MapPatch("", PatchPreferencesAsync)
            .WithSummary("Change some of your preferences: fields you leave out stay as they are")
            .WithDescription("""
                `moods` and `avoid_genres` (genre slugs or names) replace their lists; `notifications` fields
                (`email`, `telegram_chat_id`, `digest_day` monday–sunday, `digest_hour` 0–23) change one by one, and null clears one.
                """)
            .Accepts<PreferencesRequest>("application/json")
            .Produces<Preferences>().ProducesValidationProblem().ProducesProblem(401);
    }

    static async Task<IResult> GetPlatformsAsync(CurrentUser me, PreferenceStore store, CancellationToken ct) =>
        await store.GetPlatformsAsync(me.Id, ct) is { } mine ? TypedResults.Ok(mine) : TrackingRules.NotFound("Your account is gone.");

    static async Task<IResult> PutPlatformsAsync(HttpRequest http, CurrentUser me, UpdatePreferences update, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, TrackingApiJsonContext.Default.PlatformsRequest, ct);
        if (error is not null) return error;
        var (result, errors) = await update.SetPlatformsAsync(me, body!, ct);
        return errors is not null ? errors.ToResult() : result is null ? TrackingRules.NotFound("Your account is gone.") : TypedResults.Ok(result);
    }

    static async Task<IResult> GetPreferencesAsync(CurrentUser me, PreferenceStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.GetPreferencesAsync(me.Id, ct));

    static async Task<IResult> PatchPreferencesAsync(HttpRequest http, CurrentUser me, UpdatePreferences update, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, TrackingApiJsonContext.Default.PreferencesRequest, ct);
        if (error is not null) return error;
        var (result, errors) = await update.PatchAsync(me, body!, ct);
        return errors is not null ? errors.ToResult() : TypedResults.Ok(result!);
    }
}
