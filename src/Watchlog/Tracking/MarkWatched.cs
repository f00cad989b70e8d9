using Watchlog.Accounts;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Tracking;

public abstract record MarkWatchedOutcome
{
    public sealed record Done(MarkedWatched Result) : MarkWatchedOutcome;
    public sealed record Invalid(FieldErrors Errors) : MarkWatchedOutcome;
    public sealed record NotOnList : MarkWatchedOutcome;
}

/// <summary>
/// PATCH /api/watchlist/{titleId}/watched: records a check-in of the movie and marks the entry watched, in one
/// transaction. A series is refused (its episodes are checked in one by one, by season or up_to); an entry already
/// watched is answered as it is, without another check-in (a rewatch is a POST /api/checkins).
/// </summary>
public sealed class MarkWatched(Db db, PlatformDirectory platforms, WatchlistStore watchlist, CheckInStore checkins, TimeProvider clock)
{
    public async Task<MarkWatchedOutcome> RunAsync(CurrentUser me, long titleId, MarkWatchedRequest body, CancellationToken ct)
    {
        var zone = me.Zone;
        var today = TrackingRules.Today(clock, zone);
        var entry = await watchlist.GetAsync(me.Id, titleId, today, ct);
        if (entry is null) return new MarkWatchedOutcome.NotOnList();
        if (entry.Title.Kind != "movie")
            return new MarkWatchedOutcome.Invalid(new FieldErrors().Add("title_id",
                $"'{entry.Title.Title}' is a series: check in its episodes with POST /api/checkins (season, up_to, or one episode)."));
        if (entry.WatchedAt is not null) return new MarkWatchedOutcome.Done(new MarkedWatched(entry, null));

        var errors = new FieldErrors();
        var now = clock.GetUtcNow().UtcDateTime;
        var watchedAt = TrackingRules.WatchedAt(body.WatchedAt, now, zone, errors);
        var rating = TrackingRules.Rating(body.Rating, errors);
        var note = TrackingRules.Note(body.Note, errors);
        long? platformId = null;
        if (body.Platform is not null)
        {
            platformId = (await platforms.FindAsync(body.Platform, ct))?.Id;
            if (platformId is null) errors.Add("platform", $"Unknown platform '{body.Platform}': use a slug or name from GET /api/platforms.");
        }
        else if (entry.PlatformPreference is { } preferred)
        {
            platformId = (await platforms.FindAsync(preferred.Slug, ct))?.Id;
        }
        if (errors.Any) return new MarkWatchedOutcome.Invalid(errors);

        var shared = new CheckInStore.Shared(me.Id, watchedAt, platformId, rating, note, now);
        var result = await db.WriteAsync(async (conn, tx) =>
        {
            // The update decides: of two concurrent PATCHes only one finds the entry unwatched and checks in.
            if (!await WatchlistStore.MarkWatchedAsync(conn, tx, me.Id, titleId, watchedAt))
                return await watchlist.GetAsync(conn, tx, me.Id, titleId, today, ct) is { } current ? new MarkedWatched(current, null) : null;
            var id = await CheckInStore.InsertOneAsync(conn, tx, shared, titleId, null);
            if (rating is { } r) await RatingStore.SetAsync(conn, tx, me.Id, titleId, r, now);
            var checkin = (await checkins.ViewsAsync(conn, tx, me.Id, [id])).Single();
            return new MarkedWatched((await watchlist.GetAsync(conn, tx, me.Id, titleId, today, ct))!, checkin);
        }, ct);
        return result is null ? new MarkWatchedOutcome.NotOnList() : new MarkWatchedOutcome.Done(result);
    }
}
