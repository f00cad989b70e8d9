using System.Text.Json;
using Dapper;
using Watchlog.Accounts;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Tracking;

public abstract record CheckInOutcome
{
    /// <summary>The JSON answer (<see cref="CheckInItems"/>) with its status: 201, or 200 when there was nothing left to check in.</summary>
    public sealed record Answer(int Status, string Json, bool Replayed) : CheckInOutcome;
    public sealed record Invalid(FieldErrors Errors) : CheckInOutcome;
    public sealed record NotFound(string Detail) : CheckInOutcome;
    /// <summary>The Idempotency-Key was first used with a different request.</summary>
    public sealed record KeyReused : CheckInOutcome;
}

/// <summary>
/// POST /api/checkins: works out which episodes (or which movie) the request means, checks it against the catalog,
/// and writes the check-ins, the title rating and the idempotency record in one transaction.
/// </summary>
public sealed class RecordCheckIns(Db db, PlatformDirectory platforms, IdempotencyKeys keys, CheckInStore store, TimeProvider clock)
{
    abstract record Form(long TitleId)
    {
        public sealed record Movie(long TitleId) : Form(TitleId);
        public sealed record EpisodeById(long EpisodeId) : Form(0);
        public sealed record EpisodeByNumber(long TitleId, int Season, int Number) : Form(TitleId);
        public sealed record WholeSeason(long TitleId, int Season) : Form(TitleId);
        public sealed record UpTo(long TitleId, int Season, int Number) : Form(TitleId);
    }

    /// <summary>What the form resolved to: the title, and the episode for single-episode and up_to forms.</summary>
    sealed record Target(long TitleId, long? EpisodeId);

    sealed record TitleRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
    }

    public async Task<CheckInOutcome> RunAsync(CurrentUser me, CheckInRequest body, IdempotentRequest? idempotent, CancellationToken ct)
    {
        if (idempotent is not null && await keys.FindAsync(me.Id, idempotent.Key, ct) is { } earlier) return Replay(earlier, idempotent);

        var errors = new FieldErrors();
        var zone = me.Zone;
        var now = clock.GetUtcNow().UtcDateTime;
        var form = ParseForm(body, errors);
        var watchedAt = TrackingRules.WatchedAt(body.WatchedAt, now, zone, errors);
        var rating = TrackingRules.Rating(body.Rating, errors);
        var note = TrackingRules.Note(body.Note, errors);
        var platform = body.Platform is null ? null : await platforms.FindAsync(body.Platform, ct);
        if (body.Platform is not null && platform is null)
            errors.Add("platform", $"Unknown platform '{body.Platform}': use a slug or name from GET /api/platforms.");
        if (errors.Any || form is null) return new CheckInOutcome.Invalid(errors);

        var today = TrackingRules.Today(clock, zone);
        var (target, refused) = await ResolveAsync(form, today, ct);
        if (refused is not null) return refused;

        var shared = new CheckInStore.Shared(me.Id, watchedAt, platform?.Id, rating, note, now);
        return await db.WriteAsync<CheckInOutcome>(async (conn, tx) =>
        {
            if (idempotent is not null && await IdempotencyKeys.ClaimAsync(conn, tx, me.Id, idempotent, now) is { } first)
                return Replay(first, idempotent);
            var series = form is not Form.Movie;
            if (series) await ProgressStore.LockSeriesAsync(conn, tx, db.Dialect, me.Id, target!.TitleId);
            var ids = form switch
            {
                Form.WholeSeason s => await CheckInStore.InsertSeasonAsync(conn, tx, shared, s.TitleId, s.Season, today),
                Form.UpTo u => await CheckInStore.InsertUpToAsync(conn, tx, shared, u.TitleId, target!.EpisodeId!.Value, u.Season, u.Number, today),
                _ => [await CheckInStore.InsertOneAsync(conn, tx, shared, target!.TitleId, target.EpisodeId)],
            };
            if (series) await ProgressStore.AddCheckInsAsync(conn, tx, db.Dialect, me.Id, target!.TitleId, ids);
            if (rating is { } r && ids.Count > 0) await RatingStore.SetAsync(conn, tx, me.Id, target!.TitleId, r, now);
            var items = await store.ViewsAsync(conn, tx, me.Id, ids);
            var status = ids.Count > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK;
            var json = JsonSerializer.Serialize(new CheckInItems(items), TrackingApiJsonContext.Default.CheckInItems);
            if (idempotent is not null) await IdempotencyKeys.CompleteAsync(conn, tx, me.Id, idempotent, status, json);
            return new CheckInOutcome.Answer(status, json, Replayed: false);
        }, ct);
    }

    static CheckInOutcome Replay(StoredAnswer stored, IdempotentRequest request) =>
        stored.RequestHash == request.Hash ? new CheckInOutcome.Answer(stored.Status, stored.Response, Replayed: true) : new CheckInOutcome.KeyReused();

    /// <summary>Exactly one of the five forms; anything else is a 400 naming the field that doesn't fit.</summary>
    static Form? ParseForm(CheckInRequest b, FieldErrors errors)
    {
        var hasUpTo = b.UpTo.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (b.TitleId is <= 0) errors.Add("title_id", "title_id is a positive id.");
        if (b.EpisodeId is <= 0) errors.Add("episode_id", "episode_id is a positive id.");
        if (b.Season is < 0) errors.Add("season", "season is 0 (specials) or more.");
        if (b.Episode is < 0) errors.Add("episode", "episode is 0 or more.");

        if (b.EpisodeId is { } episodeId)
        {
            if (b.TitleId is not null) errors.Add("episode_id", "Send episode_id alone, or title_id with season and episode, not both.");
            foreach (var (present, field) in new[] { (b.Season is not null, "season"), (b.Episode is not null, "episode"), (hasUpTo, "up_to") })
                if (present) errors.Add(field, $"{field} goes with title_id, not with episode_id.");
            return errors.Any ? null : new Form.EpisodeById(episodeId);
        }
        if (b.TitleId is not { } titleId)
        {
            errors.Add("title_id", "Send title_id (a movie; or a series with season, season and episode, or up_to) or episode_id.");
            return null;
        }
        if (hasUpTo)
        {
            if (b.Season is not null || b.Episode is not null)
                errors.Add("up_to", "Send up_to with title_id alone, without season or episode.");
            var upTo = ParseUpTo(b.UpTo, errors);
            return errors.Any || upTo is null ? null : new Form.UpTo(titleId, upTo.Value.Season, upTo.Value.Number);
        }
        if (b.Episode is not null && b.Season is null)
        {
            errors.Add("season", "An episode number needs its season.");
            return null;
        }
        if (errors.Any) return null;
        return b.Season is { } season
            ? b.Episode is { } number ? new Form.EpisodeByNumber(titleId, season, number) : new Form.WholeSeason(titleId, season)
            : new Form.Movie(titleId);
    }

    static (int Season, int Number)? ParseUpTo(JsonElement value, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("up_to", "up_to is an object: {\"season\": 2, \"episode\": 5}.");
            return null;
        }
        int? Part(string name, int min)
        {
            if (value.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) && n >= min) return n;
            errors.Add($"up_to.{name}", min == 1 ? $"up_to.{name} is a whole number from 1 (specials are not counted)." : $"up_to.{name} is a whole number from {min}.");
            return null;
        }
        var season = Part("season", 1);
        var number = Part("episode", 0);
        return season is { } s && number is { } n ? (s, n) : null;
    }

    async Task<(Target? Target, CheckInOutcome? Refused)> ResolveAsync(Form form, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        if (form is Form.EpisodeById byId)
        {
            var titleId = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT title_id FROM episodes WHERE id = @id", new { id = byId.EpisodeId }, cancellationToken: ct));
            return titleId is { } t ? (new Target(t, byId.EpisodeId), null) : (null, new CheckInOutcome.NotFound($"There is no episode with id {byId.EpisodeId}."));
        }

        var title = await conn.QuerySingleOrDefaultAsync<TitleRow>(new CommandDefinition(
            "SELECT id, kind, title FROM titles WHERE id = @id", new { id = form.TitleId }, cancellationToken: ct));
        if (title is null) return (null, new CheckInOutcome.NotFound($"There is no title with id {form.TitleId}."));
        if (form is Form.Movie)
            return title.Kind == "movie"
                ? (new Target(title.Id, null), null)
                : (null, Refuse("title_id", $"'{title.Title}' is a series: check in its episodes with season and episode, season, up_to, or episode_id."));
        if (title.Kind != "series")
            return (null, Refuse(form is Form.UpTo ? "up_to" : "season", $"'{title.Title}' is a movie: check it in with title_id alone."));

        switch (form)
        {
            case Form.EpisodeByNumber n:
            {
                var id = await EpisodeIdAsync(conn, title.Id, n.Season, n.Number, ct);
                return id is null
                    ? (null, new CheckInOutcome.NotFound($"'{title.Title}' has no episode S{n.Season:00}E{n.Number:00}."))
                    : (new Target(title.Id, id), null);
            }
            case Form.UpTo u:
            {
                var id = await EpisodeIdAsync(conn, title.Id, u.Season, u.Number, ct);
                return id is null
                    ? (null, new CheckInOutcome.NotFound($"'{title.Title}' has no episode S{u.Season:00}E{u.Number:00}."))
                    : (new Target(title.Id, id), null);
            }
            case Form.WholeSeason s:
            {
                var counts = await conn.QuerySingleAsync<(long Total, long Aired)>(new CommandDefinition("""
                    SELECT count(*), count(CASE WHEN air_date IS NULL OR air_date <= @today THEN 1 END)
                    FROM episodes WHERE title_id = @titleId AND season_number = @season
                    """, new { titleId = title.Id, season = s.Season, today }, cancellationToken: ct));
                if (counts.Total == 0) return (null, new CheckInOutcome.NotFound($"'{title.Title}' has no season {s.Season}."));
                if (counts.Aired == 0) return (null, Refuse("season", $"No episode of season {s.Season} of '{title.Title}' has aired yet."));
                return (new Target(title.Id, null), null);
            }
            default:
                throw new InvalidOperationException($"Unhandled check-in form {form.GetType().Name}.");
        }
    }

    static Task<long?> EpisodeIdAsync(System.Data.Common.DbConnection conn, long titleId, int season, int number, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM episodes WHERE title_id = @titleId AND season_number = @season AND number = @number",
            new { titleId, season, number }, cancellationToken: ct));

    static CheckInOutcome Refuse(string field, string message) => new CheckInOutcome.Invalid(new FieldErrors().Add(field, message));
}
