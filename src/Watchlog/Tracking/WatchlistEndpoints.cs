using System.Globalization;
using Watchlog.Accounts;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary><c>/api/watchlist</c>: titles to watch, with where to watch them in your region.</summary>
static class WatchlistEndpoints
{
    const int DefaultLimit = 50;
    const int MaxLimit = 200;

    public static void Map(IEndpointRouteBuilder api)
    {
        var watchlist = api.Personal("/watchlist");
        watchlist.MapGet("", ListAsync)
            .WithSummary("Your watchlist with each title's platforms in your region and a warning when one is leaving within 7 days")
            .WithDescription("`sort` is `added` (newest first, the default), `runtime` (shortest first) or `expiring` (soonest to leave a platform first).")
            .Produces<WatchlistPage>().ProducesValidationProblem().ProducesProblem(401);
        watchlist.MapPost("", AddAsync)
            .WithSummary("Add a title to your watchlist (201); adding it again answers 200 with the entry as it is")
            .Accepts<WatchlistRequest>("application/json")
            .Produces<WatchlistEntry>(StatusCodes.Status201Created).Produces<WatchlistEntry>()
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404);
        watchlist.MapDelete("/{titleId:long}", RemoveAsync)
            .WithSummary("Remove a title from your watchlist")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(401).ProducesProblem(404);
        watchlist.MapPatch("/{titleId:long}/watched", MarkWatchedAsync)
            .WithSummary("Check in a movie from your watchlist and mark the entry watched, together")
            .WithDescription("""
                The body is optional: `{watched_at, platform, rating, note}` as for a check-in; the platform defaults to the entry's
                `platform_preference`. A series answers 400 (check in its episodes instead); an entry already watched answers 200
                as it is, with `checkin: null`.
                """)
            .Accepts<MarkWatchedRequest>("application/json")
            .Produces<MarkedWatched>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404);
    }

    static async Task<IResult> ListAsync(CurrentUser me, WatchlistStore store, TimeProvider clock, CancellationToken ct,
        string? sort = null, string? cursor = null, string? limit = null)
    {
        var errors = new FieldErrors();
        WatchlistSort? order = (sort ?? "").ToLowerInvariant() switch
        {
            "" or "added" => WatchlistSort.Added,
            "runtime" => WatchlistSort.Runtime,
            "expiring" => WatchlistSort.Expiring,
            _ => null,
        };
        if (order is null) errors.Add("sort", "sort is 'added', 'runtime' or 'expiring'.");
        var offset = 0;
        if (cursor is { Length: > 0 } && !(int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset >= 0))
            errors.Add("cursor", "Use the next_cursor of the previous page.");
        var take = TrackingRules.QueryInt(limit, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        if (errors.Any) return errors.ToResult();
        return TypedResults.Ok(await store.ListAsync(me.Id, order!.Value, TrackingRules.Today(clock, me.Zone), offset, take, ct));
    }

    static async Task<IResult> AddAsync(HttpRequest http, CurrentUser me, WatchlistStore store, PlatformDirectory platforms, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, TrackingApiJsonContext.Default.WatchlistRequest, ct);
        if (error is not null) return error;
        var errors = new FieldErrors();
        if (body!.TitleId is not { } titleId || titleId <= 0) errors.Add("title_id", "Send the title_id of the title to add.");
        long? platformId = null;
        if (body.PlatformPreference is { } preference)
        {
            platformId = (await platforms.FindAsync(preference, ct))?.Id;
            if (platformId is null) errors.Add("platform_preference", $"Unknown platform '{preference}': use a slug or name from GET /api/platforms.");
        }
        if (errors.Any) return errors.ToResult();
        var id = body.TitleId!.Value;
        if (!await TrackingRules.TitleExistsAsync(db, id, ct)) return TrackingRules.NotFound($"There is no title with id {id}.");

        var added = await store.AddAsync(me.Id, id, platformId, clock.GetUtcNow().UtcDateTime, ct);
        var entry = await store.GetAsync(me.Id, id, TrackingRules.Today(clock, me.Zone), ct);
        if (entry is null) return TrackingRules.NotFound($"Title {id} is not on your watchlist."); // removed by a concurrent request
        return added ? TypedResults.Created((string?)null, entry) : TypedResults.Ok(entry);
    }

    static async Task<IResult> RemoveAsync(long titleId, CurrentUser me, WatchlistStore store, CancellationToken ct) =>
        await store.RemoveAsync(me.Id, titleId, ct) ? TypedResults.NoContent() : TrackingRules.NotFound($"Title {titleId} is not on your watchlist.");

    static async Task<IResult> MarkWatchedAsync(long titleId, HttpRequest http, CurrentUser me, MarkWatched mark, CancellationToken ct)
    {
        var body = new MarkWatchedRequest();
        if (http.ContentType is not null || http.ContentLength > 0)
        {
            var (read, error) = await JsonBody.ReadAsync(http, TrackingApiJsonContext.Default.MarkWatchedRequest, ct);
            if (error is not null) return error;
            body = read!;
        }
        return await mark.RunAsync(me, titleId, body, ct) switch
        {
            MarkWatchedOutcome.Done done => TypedResults.Ok(done.Result),
            MarkWatchedOutcome.Invalid invalid => invalid.Errors.ToResult(),
            MarkWatchedOutcome.NotOnList => TrackingRules.NotFound($"Title {titleId} is not on your watchlist."),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}."),
        };
    }
}
