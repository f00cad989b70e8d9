using Watchlog.Accounts;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary><c>/api/titles/{id}/rating</c>: one rating per user and title.</summary>
static class RatingEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var rating = api.Personal("/titles/{id:long}/rating");
        rating.MapGet("", GetAsync)
            .WithSummary("Your rating of a title")
            .Produces<RatingView>().ProducesProblem(401).ProducesProblem(404);
        rating.MapPut("", PutAsync)
            .WithSummary("Rate a title from 1 to 10 (replaces your earlier rating)")
            .Accepts<RatingRequest>("application/json")
            .Produces<RatingView>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(404);
        rating.MapDelete("", DeleteAsync)
            .WithSummary("Remove your rating of a title")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(401).ProducesProblem(404);
    }

    static async Task<IResult> GetAsync(long id, CurrentUser me, RatingStore ratings, CancellationToken ct) =>
        await ratings.GetAsync(me.Id, id, ct) is { } rating ? TypedResults.Ok(rating) : TrackingRules.NotFound($"You have not rated title {id}.");

    static async Task<IResult> PutAsync(long id, HttpRequest http, CurrentUser me, RatingStore ratings, Db db, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, TrackingApiJsonContext.Default.RatingRequest, ct);
        if (error is not null) return error;
        var errors = new FieldErrors();
        var value = TrackingRules.Rating(body!.Rating, errors, required: true);
        if (errors.Any) return errors.ToResult();
        if (!await TrackingRules.TitleExistsAsync(db, id, ct)) return TrackingRules.NotFound($"There is no title with id {id}.");
        return TypedResults.Ok(await ratings.PutAsync(me.Id, id, value!.Value, clock.GetUtcNow().UtcDateTime, ct));
    }

    static async Task<IResult> DeleteAsync(long id, CurrentUser me, RatingStore ratings, CancellationToken ct) =>
        await ratings.DeleteAsync(me.Id, id, ct) ? TypedResults.NoContent() : TrackingRules.NotFound($"You have not rated title {id}.");
}
