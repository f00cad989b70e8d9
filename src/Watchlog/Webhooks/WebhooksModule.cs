using System.Text;
using Dapper;
using Watchlog.Accounts;
using Watchlog.Data;
using Watchlog.History;
using Watchlog.Tracking;
using Watchlog.Web;

namespace Watchlog.Webhooks;

/// <summary>The answer to a media server: recorded (with the check-in), ignored (not a finished viewing), or review.</summary>
public sealed record ScrobbleAnswer(string Status, long? CheckinId);

/// <summary>
/// <c>POST /webhooks/jellyfin|plex|emby</c>, authenticated by a personal API key (<c>X-Api-Key</c> or <c>?key=</c>). A
/// movie or episode played to completion (≥ 80 %, or the server's own "played" flag) becomes a check-in; start, pause,
/// progress and unfinished stops are ignored; a repeated delivery (or Plex's stop after its scrobble) finds the check-in
/// it made within <see cref="DuplicateWindow"/> and writes nothing; an item the catalog can't place goes to the review
/// queue of a standing import per server (GET /api/imports lists it).
/// </summary>
public static class WebhooksModule
{
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromHours(6);

    public static void MapWebhooks(this WebApplication app)
    {
        var hooks = app.MapGroup("/webhooks").WithTags("Scrobbling").RequireAuthorization().DisableAntiforgery().WithPrivateNoStore();
        hooks.MapPost("/jellyfin", (HttpRequest r, CurrentUser me, Matcher m, Db db, TimeProvider c, CancellationToken ct) =>
                HandleAsync("jellyfin", ScrobbleParser.Jellyfin, r, me, m, db, c, ct))
            .WithSummary("Jellyfin webhook plugin (Generic destination, JSON)").Produces<ScrobbleAnswer>().ProducesValidationProblem().ProducesProblem(401);
        hooks.MapPost("/plex", (HttpRequest r, CurrentUser me, Matcher m, Db db, TimeProvider c, CancellationToken ct) =>
                HandleAsync("plex", ScrobbleParser.Plex, r, me, m, db, c, ct))
            .WithSummary("Plex webhooks (multipart with a payload field)").Produces<ScrobbleAnswer>().ProducesValidationProblem().ProducesProblem(401);
        hooks.MapPost("/emby", (HttpRequest r, CurrentUser me, Matcher m, Db db, TimeProvider c, CancellationToken ct) =>
                HandleAsync("emby", ScrobbleParser.Emby, r, me, m, db, c, ct))
            .WithSummary("Emby webhooks (JSON, or multipart with a data field)").Produces<ScrobbleAnswer>().ProducesValidationProblem().ProducesProblem(401);
    }

    /// <summary>The JSON whatever the transport: multipart (payload / data field), or the raw body (JSON or text/plain).</summary>
    static async Task<string?> BodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            foreach (var name in new[] { "payload", "data" })
                if (form.TryGetValue(name, out var v) && v.ToString().Length > 0) return v.ToString();
            foreach (var name in new[] { "payload", "data" })
                if (form.Files.GetFile(name) is { } f)
                {
                    using var reader = new StreamReader(f.OpenReadStream(), Encoding.UTF8);
                    return await reader.ReadToEndAsync(ct);
                }
            return null;
        }
        using var body = new StreamReader(request.Body, Encoding.UTF8);
        var text = await body.ReadToEndAsync(ct);
        return text.Length > 0 ? text : null;
    }

    static async Task<IResult> HandleAsync(string server, Func<string, Scrobble> parse, HttpRequest request, CurrentUser me, Matcher matcher, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        Scrobble s;
        try
        {
            var json = await BodyAsync(request, ct);
            if (json is null) return FieldErrors.One("payload", "The request has no payload (Plex: the multipart field 'payload'; Emby: 'data' or a JSON body).");
            s = parse(json);
        }
        catch (PayloadException e) { return FieldErrors.One("payload", e.Message); }
        catch (InvalidDataException e) { return FieldErrors.One("payload", $"The form cannot be read: {e.Message}"); }

        if (!s.Completed || s.Kind is null) return TypedResults.Ok(new ScrobbleAnswer("ignored", null));
        var title = s.Kind == "episode" ? s.Series : s.Title;
        if (title is null && s.ImdbId is null && s.TmdbId is null && s.TvdbId is null)
            return FieldErrors.One("payload", "The item has neither a title nor provider ids.");
        var now = clock.GetUtcNow().UtcDateTime;
        var at = TrackingRules.ToMicroseconds(s.At is { } t && t <= now.AddMinutes(5) && t >= now.AddDays(-30) ? t : now);
        var row = s.Kind == "movie"
            ? new ImportRow { File = server, Line = 1, Action = RowAction.Watch, Kind = "movie", Title = title, Year = s.Year, ImdbId = s.ImdbId, TmdbId = s.TmdbId, TvdbId = s.TvdbId, WatchedAt = at }
            : new ImportRow
            {
                File = server, Line = 1, Action = RowAction.Watch, Kind = "episode", Title = title, Season = s.Season, Episode = s.Episode, EpisodeTitle = s.Title,
                EpisodeImdbId = s.ImdbId, EpisodeTmdbId = s.TmdbId, EpisodeTvdbId = s.TvdbId, WatchedAt = at,
            };
        var match = (await matcher.MatchAsync([row], ct))[0];

        return await db.WriteAsync<IResult>(async (conn, tx) =>
        {
            if (match.Status == "matched")
            {
                var titleId = match.TitleId!.Value;
                await ProgressStore.LockSeriesAsync(conn, tx, db.Dialect, me.Id, titleId);
                var existing = await conn.QuerySingleOrDefaultAsync<long?>("""
                    SELECT id FROM checkins WHERE user_id = @userId AND title_id = @titleId
                      AND (episode_id = @episodeId OR (episode_id IS NULL AND @noEpisode = 1)) AND watched_at >= @from AND watched_at <= @to
                    ORDER BY id LIMIT 1
                    """, new { userId = me.Id, titleId, episodeId = match.EpisodeId ?? 0, noEpisode = match.EpisodeId is null ? 1 : 0,
                    from = at - DuplicateWindow, to = at + DuplicateWindow }, tx);
                if (existing is { } id) return TypedResults.Ok(new ScrobbleAnswer("recorded", id));
                var checkinId = await CheckInStore.InsertOneAsync(conn, tx, new CheckInStore.Shared(me.Id, at, null, null, null, now), titleId, match.EpisodeId);
                if (match.EpisodeId is not null) await ProgressStore.AddCheckInsAsync(conn, tx, db.Dialect, me.Id, titleId, [checkinId]);
                return TypedResults.Ok(new ScrobbleAnswer("recorded", checkinId));
            }

            // The review inbox of this server: one standing import per user.
            var format = "webhook-" + server;
            await conn.ExecuteAsync("""
                INSERT INTO history_imports (user_id, format, source, status, file_name, created_at, started_at, finished_at)
                VALUES (@userId, @format, 'webhook', 'done', @server, @now, @now, @now)
                ON CONFLICT (user_id, format) WHERE source = 'webhook' DO NOTHING
                """, new { userId = me.Id, format, server, now }, tx);
            var inbox = await conn.QuerySingleAsync<long>(
                "SELECT id FROM history_imports WHERE user_id = @userId AND format = @format AND source = 'webhook'", new { userId = me.Id, format }, tx);
            var repeated = await conn.ExecuteScalarAsync<long>("""
                SELECT count(*) FROM history_import_rows WHERE import_id = @inbox AND status = 'review' AND kind = @kind
                  AND coalesce(title, '') = @title AND coalesce(season, -1) = @season AND coalesce(episode, -1) = @episode
                  AND watched_at >= @from AND watched_at <= @to
                """, new { inbox, kind = row.Kind, title = row.Title ?? "", season = row.Season ?? -1, episode = row.Episode ?? -1,
                from = at - DuplicateWindow, to = at + DuplicateWindow }, tx);
            if (repeated > 0) return TypedResults.Ok(new ScrobbleAnswer("review", null));
            var next = await conn.ExecuteScalarAsync<int>("SELECT coalesce(max(row_no), 0) + 1 FROM history_import_rows WHERE import_id = @inbox", new { inbox }, tx);
            await HistoryWriter.WriteAsync(conn, tx, db.Dialect, me.Id, inbox, [new RowWrite(next, row with { Line = next }, match)],
                new Dictionary<string, long>(), [], now);
            return TypedResults.Ok(new ScrobbleAnswer("review", null));
        }, ct);
    }
}
