using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Watchlog.Accounts;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary><c>/api/checkins</c>, <c>/api/history</c>, <c>/api/progress</c>.</summary>
static class CheckInEndpoints
{
    const int DefaultLimit = 20;
    const int MaxLimit = 100;

    public static void Map(IEndpointRouteBuilder api)
    {
        var checkins = api.Personal("/checkins");
        checkins.MapPost("", CreateAsync)
            .WithSummary("Check in a movie, an episode, a whole season, or every aired episode up to one")
            .WithDescription("""
                Send exactly one of `{title_id}` (a movie), `{episode_id}`, `{title_id, season, episode}`, `{title_id, season}`
                (the season's aired episodes) or `{title_id, up_to: {season, episode}}` (every aired episode up to that one you
                have not watched yet, specials excluded), plus optional `watched_at`, `platform` (slug or name), `rating` (1–10,
                also sets your rating of the title) and `note`. With an `Idempotency-Key` header a retry gets the first answer
                again instead of duplicates; the same key with a different body is a 409.
                """)
            .Accepts<CheckInRequest>("application/json")
            .Produces<CheckInItems>(StatusCodes.Status201Created)
            .Produces<CheckInItems>(StatusCodes.Status200OK)
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404).ProducesProblem(409);
        checkins.MapDelete("/{id:long}", DeleteAsync)
            .WithSummary("Delete one of your check-ins")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(401).ProducesProblem(404);

        api.Personal("/history").MapGet("", HistoryAsync)
            .WithSummary("Your check-ins, newest first, with title, episode and platform; cursor-paginated")
            .WithDescription("""
                `from` and `to` are dates (`YYYY-MM-DD`, whole days in your time zone, both included) or ISO-8601 instants;
                `type` is `movie` or `series`; `platform` a slug or name; `limit` 1–100 (default 20); `cursor` the
                `next_cursor` of the previous page.
                """)
            .Produces<CheckInPage>().ProducesValidationProblem().ProducesProblem(401);

        api.Personal("/progress").MapGet("", ProgressAsync)
            .WithSummary("Progress through every series you have checked in: watched / aired, percent, next episode; most recent first")
            .Produces<ProgressList>().ProducesProblem(401);
    }

    static async Task<IResult> CreateAsync(HttpContext http, CurrentUser me, RecordCheckIns record, CancellationToken ct,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey = null)
    {
        IdempotentRequest? idempotent = null;
        if (idempotencyKey is not null)
        {
            (idempotent, var keyError) = await IdempotencyKeys.ReadAsync(http.Request, ct);
            if (keyError is not null) return FieldErrors.One(IdempotencyKeys.Header, keyError);
        }
        var (body, error) = await JsonBody.ReadAsync(http.Request, TrackingApiJsonContext.Default.CheckInRequest, ct);
        if (error is not null) return error;
        return await record.RunAsync(me, body!, idempotent, ct) switch
        {
            CheckInOutcome.Answer a => Answer(http, a),
            CheckInOutcome.Invalid i => i.Errors.ToResult(),
            CheckInOutcome.NotFound n => TrackingRules.NotFound(n.Detail),
            CheckInOutcome.KeyReused => TypedResults.Problem(
                $"This {IdempotencyKeys.Header} was first used with a different request. Use a new key for a new check-in.",
                statusCode: StatusCodes.Status409Conflict, title: "Idempotency key reused"),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}."),
        };
    }

    static IResult Answer(HttpContext http, CheckInOutcome.Answer answer)
    {
        if (answer.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Content(answer.Json, "application/json; charset=utf-8", statusCode: answer.Status);
    }

    static async Task<IResult> DeleteAsync(long id, CurrentUser me, CheckInStore store, CancellationToken ct) =>
        await store.DeleteAsync(me.Id, id, ct) ? TypedResults.NoContent() : TrackingRules.NotFound($"You have no check-in with id {id}.");

    static async Task<IResult> HistoryAsync(CurrentUser me, CheckInStore store, PlatformDirectory platforms, CancellationToken ct,
        string? from = null, string? to = null, string? type = null, [FromQuery(Name = "title_id")] string? titleId = null,
        string? platform = null, string? cursor = null, string? limit = null)
    {
        var errors = new FieldErrors();
        var zone = me.Zone;
        var fromUtc = Bound(from, "from", upper: false, zone, errors);
        var toUtc = Bound(to, "to", upper: true, zone, errors);
        if (fromUtc is not null && toUtc is not null && toUtc <= fromUtc) errors.Add("to", "to is before from.");
        if (type is { Length: > 0 } && type is not ("movie" or "series")) errors.Add("type", "type is 'movie' or 'series'.");
        var title = TrackingRules.QueryId(titleId, "title_id", errors);
        long? platformId = null;
        if (platform is { Length: > 0 })
        {
            platformId = (await platforms.FindAsync(platform, ct))?.Id;
            if (platformId is null) errors.Add("platform", $"Unknown platform '{platform}': use a slug or name from GET /api/platforms.");
        }
        HistoryCursor? after = null;
        if (cursor is { Length: > 0 } && (after = HistoryCursor.Decode(cursor)) is null)
            errors.Add("cursor", "Use the next_cursor of the previous page.");
        var take = TrackingRules.QueryInt(limit, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        if (errors.Any) return errors.ToResult();

        var query = new HistoryQuery(fromUtc, toUtc, type is { Length: > 0 } ? type : null, title, platformId, after, take);
        return TypedResults.Ok(await store.HistoryAsync(me.Id, query, ct));
    }

    /// <summary>A date is the user's whole local day (the upper bound takes all of it); an instant is itself. Returns UTC, upper bounds exclusive.</summary>
    static DateTime? Bound(string? input, string field, bool upper, TimeZoneInfo zone, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(input)) return null;
        if (DateOnly.TryParseExact(input, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && TrackingRules.Plausible(day.Year))
        {
            return TrackingRules.LocalToUtc((upper ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue), zone);
        }
        // Check-ins are stored to the microsecond: the next microsecond bounds an inclusive "to".
        if (TrackingRules.TryParseInstant(input, zone, out var at)) return upper ? TrackingRules.ToMicroseconds(at).AddTicks(10) : at;
        errors.Add(field, $"{field} is a date (YYYY-MM-DD, your local day) or an ISO-8601 instant.");
        return null;
    }

    static async Task<IResult> ProgressAsync(CurrentUser me, ProgressStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(new ProgressList(await store.ForUserAsync(me.Id, TrackingRules.Today(clock, me.Zone), ct), null));
}
