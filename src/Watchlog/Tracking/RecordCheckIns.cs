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
    sealed record Target(TitleRef Title, EpisodeRef? Episode)
    {
        public long TitleId => Title.Id;
    }

    sealed record TitleRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public int? Year { get; init; }
        public TitleRef Ref => new(Id, Title, Kind, Year);
    }

    sealed record EpisodeRow
    {
        public long Id { get; init; }
        public int SeasonNumber { get; init; }
        public int Number { get; init; }
        public string? Title { get; init; }
        public EpisodeRef Ref => new(Id, SeasonNumber, Number, Title);
    }

    sealed record EpisodeWithTitleRow
    {
        public long Id { get; init; }
        public int SeasonNumber { get; init; }
        public int Number { get; init; }
        public string? EpisodeTitle { get; init; }
        public long TitleId { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public int? Year { get; init; }
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
            IReadOnlyList<CheckInView> items;
            if (form is Form.WholeSeason or Form.UpTo)
            {
                var ids = form is Form.UpTo u
                    ? await CheckInStore.InsertUpToAsync(conn, tx, shared, u.TitleId, target!.Episode!.Id, u.Season, u.Number, today)
                    : await CheckInStore.InsertSeasonAsync(conn, tx, shared, target!.TitleId, ((Form.WholeSeason)form).Season, today);
                await ProgressStore.AddCheckInsAsync(conn, tx, db.Dialect, me.Id, target.TitleId, ids);
                if (rating is { } r && ids.Count > 0) await RatingStore.SetAsync(conn, tx, me.Id, target.TitleId, r, now);
                items = await store.ViewsAsync(conn, tx, me.Id, ids);
            }
            else
            {
                // One check-in (the common case, and what media servers send): the answer is built from what was resolved
                // before the write, so the write itself is two short statements.
                var (title, episode) = target!;
                var id = await CheckInStore.InsertOneAsync(conn, tx, shared, title.Id, episode?.Id);
                if (episode is not null) await ProgressStore.AddOneAsync(conn, tx, me.Id, title.Id, episode, id, watchedAt);
                if (rating is { } r) await RatingStore.SetAsync(conn, tx, me.Id, title.Id, r, now);
                items = [new CheckInView(id, watchedAt, title, episode, platform?.Ref, rating, note)];
            }
            var status = items.Count > 0 ? StatusCodes.Status201Created : StatusCodes.Status200OK;
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
            var row = await conn.QuerySingleOrDefaultAsync<EpisodeWithTitleRow>(new CommandDefinition("""
                SELECT e.id, e.season_number, e.number, e.title AS episode_title, t.id AS title_id, t.title, t.kind, t.year
                FROM episodes e JOIN titles t ON t.id = e.title_id
                WHERE e.id = @id
                """, new { id = byId.EpisodeId }, cancellationToken: ct));
            return row is null
                ? (null, new CheckInOutcome.NotFound($"There is no episode with id {byId.EpisodeId}."))
                : (new Target(new TitleRef(row.TitleId, row.Title, row.Kind, row.Year), new EpisodeRef(row.Id, row.SeasonNumber, row.Number, row.EpisodeTitle)), null);
        }

        var title = await conn.QuerySingleOrDefaultAsync<TitleRow>(new CommandDefinition(
            "SELECT id, kind, title, year FROM titles WHERE id = @id", new { id = form.TitleId }, cancellationToken: ct));
        if (title is null) return (null, new CheckInOutcome.NotFound($"There is no title with id {form.TitleId}."));
        if (form is Form.Movie)
            return title.Kind == "movie"
                ? (new Target(title.Ref, null), null)
                : (null, Refuse("title_id", $"'{title.Title}' is a series: check in its episodes with season and episode, season, up_to, or episode_id."));
        if (title.Kind != "series")
            return (null, Refuse(form is Form.UpTo ? "up_to" : "season", $"'{title.Title}' is a movie: check it in with title_id alone."));

        switch (form)
        {
            case Form.EpisodeByNumber or Form.UpTo:
            {
                var (season, number) = form is Form.UpTo u ? (u.Season, u.Number) : (((Form.EpisodeByNumber)form).Season, ((Form.EpisodeByNumber)form).Number);
                var episode = await conn.QuerySingleOrDefaultAsync<EpisodeRow>(new CommandDefinition(
                    "SELECT id, season_number, number, title FROM episodes WHERE title_id = @titleId AND season_number = @season AND number = @number",
                    new { titleId = title.Id, season, number }, cancellationToken: ct));
                return episode is null
                    ? (null, new CheckInOutcome.NotFound($"'{title.Title}' has no episode S{season:00}E{number:00}."))
                    : (new Target(title.Ref, episode.Ref), null);
            }
            case Form.WholeSeason s:
            {
                var counts = await conn.QuerySingleAsync<(long Total, long Aired)>(new CommandDefinition("""
                    SELECT count(*), count(CASE WHEN air_date IS NULL OR air_date <= @today THEN 1 END)
                    FROM episodes WHERE title_id = @titleId AND season_number = @season
                    """, new { titleId = title.Id, season = s.Season, today }, cancellationToken: ct));
                if (counts.Total == 0) return (null, new CheckInOutcome.NotFound($"'{title.Title}' has no season {s.Season}."));
                if (counts.Aired == 0) return (null, Refuse("season", $"No episode of season {s.Season} of '{title.Title}' has aired yet."));
                return (new Target(title.Ref, null), null);
            }
            default:
                throw new InvalidOperationException($"Unhandled check-in form {form.GetType().Name}.");
        }
    }

    static CheckInOutcome Refuse(string field, string message) => new CheckInOutcome.Invalid(new FieldErrors().Add(field, message));
}
