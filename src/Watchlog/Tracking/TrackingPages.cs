using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Watchlog.Accounts;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Tracking;

/// <summary>
/// The web UI's viewing-log forms (title page, home, history, watchlist). Each builds the request the JSON API would get
/// and runs the same code (<see cref="RecordCheckIns"/>, <see cref="RatingStore"/>, <see cref="WatchlistStore"/>,
/// <see cref="MarkWatched"/>, <see cref="CheckInStore"/>), then sends the browser back where it came from with a message.
/// </summary>
public static class TrackingPages
{
    public static void MapTrackingPages(this IEndpointRouteBuilder app)
    {
        app.MapForm("/titles/{id:long}/checkins", CheckInAsync);
        app.MapForm("/titles/{id:long}/rating", RateAsync);
        app.MapForm("/titles/{id:long}/watchlist", AddToWatchlistAsync);
        app.MapForm("/titles/{id:long}/watchlist/remove", RemoveFromWatchlistAsync);
        app.MapForm("/watchlist/{id:long}/watched", MarkWatchedAsync);
        app.MapForm("/history/{id:long}/delete", DeleteCheckInAsync);
    }

    /// <summary>
    /// One form, several buttons: <c>episode_id</c> (one episode), <c>season</c> (a season's aired episodes), or neither
    /// (the title: a movie). <c>watched_on</c> is a local date (today or absent means now); <c>key</c>, rendered into the
    /// form, makes a double submit record the check-in once.
    /// </summary>
    static async Task<IResult> CheckInAsync(long id, HttpContext http, RecordCheckIns record, TimeProvider clock, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var me = WebAuth.Me(http);
        var back = form.Optional("return") ?? $"/titles/{id}";
        var errors = new FieldErrors();
        long? episodeId = null;
        int? season = null;
        if (form.Optional("episode_id") is { } e)
        {
            if (long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0) episodeId = v;
            else errors.Add("episode_id", "Pick an episode.");
        }
        else if (form.Optional("season") is { } s)
        {
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) season = v;
            else errors.Add("season", "Pick a season.");
        }
        var watchedAt = WatchedAt(form.Optional("watched_on"), me, clock, errors);
        var rating = Rating(form.Optional("rating"), errors);
        if (errors.Any) return Refused(http, back, errors);

        var request = new CheckInRequest
        {
            TitleId = episodeId is null ? id : null,
            EpisodeId = episodeId,
            Season = season,
            WatchedAt = watchedAt,
            Platform = form.Optional("platform"),
            Rating = rating,
        };
        IdempotentRequest? idempotent = null;
        if (form.Optional("key") is { Length: <= IdempotencyKeys.MaxKeyLength } key)
        {
            var fingerprint = $"web checkin {id} {episodeId} {season} {watchedAt} {request.Platform} {form.Optional("rating")}";
            idempotent = new IdempotentRequest("web:" + key, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint))));
        }
        switch (await record.RunAsync(me, request, idempotent, ct))
        {
            case CheckInOutcome.Answer answer:
                var items = JsonSerializer.Deserialize(answer.Json, TrackingApiJsonContext.Default.CheckInItems)?.Items ?? [];
                WebAuth.Flash(http, answer.Replayed ? "Already checked in." : Describe(items, season));
                return WebAuth.SeeOther(http, back);
            case CheckInOutcome.Invalid invalid:
                return Refused(http, back, invalid.Errors);
            case CheckInOutcome.NotFound notFound:
                WebAuth.Flash(http, notFound.Detail, error: true);
                return WebAuth.SeeOther(http, back);
            default:
                WebAuth.Flash(http, "This form was already used for another check-in; it has been reloaded, try again.", error: true);
                return WebAuth.SeeOther(http, back);
        }
    }

    static string Describe(IReadOnlyList<CheckInView> items, int? season)
    {
        if (items.Count == 0) return season is null ? "Nothing to check in." : $"Season {season} has no aired episodes to check in yet.";
        var first = items[0];
        if (first.Episode is null) return $"Checked in {first.Title.Title}.";
        if (items.Count == 1) return $"Checked in {first.Title.Title} S{first.Episode.Season}E{first.Episode.Number}.";
        return $"Checked in {items.Count} episodes of {first.Title.Title}.";
    }

    static async Task<IResult> RateAsync(long id, HttpContext http, RatingStore ratings, Db db, TimeProvider clock, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = form.Optional("return") ?? $"/titles/{id}";
        var me = WebAuth.Me(http);
        if (form.Optional("rating") is null)
        {
            await ratings.DeleteAsync(me.Id, id, ct);
            WebAuth.Flash(http, "Rating removed.");
            return WebAuth.SeeOther(http, back);
        }
        var errors = new FieldErrors();
        var rating = TrackingRules.Rating(Rating(form.Optional("rating"), errors), errors);
        if (errors.Any) return Refused(http, back, errors);
        if (!await TrackingRules.TitleExistsAsync(db, id, ct)) return NotFound(http, id);
        await ratings.PutAsync(me.Id, id, rating!.Value, clock.GetUtcNow().UtcDateTime, ct);
        WebAuth.Flash(http, $"Rated {rating}/10.");
        return WebAuth.SeeOther(http, back);
    }

    static async Task<IResult> AddToWatchlistAsync(long id, HttpContext http, WatchlistStore watchlist, Db db, TimeProvider clock, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = form.Optional("return") ?? $"/titles/{id}";
        if (!await TrackingRules.TitleExistsAsync(db, id, ct)) return NotFound(http, id);
        var added = await watchlist.AddAsync(WebAuth.Me(http).Id, id, null, clock.GetUtcNow().UtcDateTime, ct);
        WebAuth.Flash(http, added ? "Added to your watchlist." : "Already on your watchlist.");
        return WebAuth.SeeOther(http, back);
    }

    static async Task<IResult> RemoveFromWatchlistAsync(long id, HttpContext http, WatchlistStore watchlist, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = form.Optional("return") ?? $"/titles/{id}";
        var removed = await watchlist.RemoveAsync(WebAuth.Me(http).Id, id, ct);
        WebAuth.Flash(http, removed ? "Removed from your watchlist." : "It was not on your watchlist.", error: !removed);
        return WebAuth.SeeOther(http, back);
    }

    static async Task<IResult> MarkWatchedAsync(long id, HttpContext http, MarkWatched mark, TimeProvider clock, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = form.Optional("return") ?? "/watchlist";
        var me = WebAuth.Me(http);
        var errors = new FieldErrors();
        var body = new MarkWatchedRequest { WatchedAt = WatchedAt(form.Optional("watched_on"), me, clock, errors), Rating = Rating(form.Optional("rating"), errors) };
        if (errors.Any) return Refused(http, back, errors);
        switch (await mark.RunAsync(me, id, body, ct))
        {
            case MarkWatchedOutcome.Done done:
                WebAuth.Flash(http, done.Result.Checkin is null ? $"{done.Result.Entry.Title.Title} was already marked watched." : $"Marked {done.Result.Entry.Title.Title} watched.");
                return WebAuth.SeeOther(http, back);
            case MarkWatchedOutcome.Invalid invalid:
                return Refused(http, back, invalid.Errors);
            default:
                WebAuth.Flash(http, "That title is not on your watchlist.", error: true);
                return WebAuth.SeeOther(http, back);
        }
    }

    static async Task<IResult> DeleteCheckInAsync(long id, HttpContext http, CheckInStore store, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var deleted = await store.DeleteAsync(WebAuth.Me(http).Id, id, ct);
        WebAuth.Flash(http, deleted ? "Check-in deleted." : "That check-in does not exist (any more).", error: !deleted);
        return WebAuth.SeeOther(http, form.Optional("return") ?? "/history");
    }

    /// <summary>A local date from a date field as the instant the API takes: today (or nothing) is now, another day 20:00 local.</summary>
    static string? WatchedAt(string? day, CurrentUser me, TimeProvider clock, FieldErrors errors)
    {
        if (day is null) return null;
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add("watched_on", "Give the date you watched it (YYYY-MM-DD).");
            return null;
        }
        var today = TrackingRules.Today(clock, me.Zone);
        if (date > today) errors.Add("watched_on", "That date is in the future.");
        return date == today ? null : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T20:00:00";
    }

    static JsonElement Rating(string? value, FieldErrors errors)
    {
        if (value is null) return default;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return JsonDocument.Parse(n.ToString(CultureInfo.InvariantCulture)).RootElement.Clone();
        errors.Add("rating", "A rating is a whole number from 1 to 10.");
        return default;
    }

    static IResult Refused(HttpContext http, string back, FieldErrors errors)
    {
        WebAuth.Flash(http, WebForms.Describe(errors), error: true);
        return WebAuth.SeeOther(http, back);
    }

    static IResult NotFound(HttpContext http, long id)
    {
        WebAuth.Flash(http, $"There is no title with id {id}.", error: true);
        return WebAuth.SeeOther(http, "/");
    }
}
