using Dapper;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.History;

public abstract record DecisionOutcome
{
    public sealed record Done(ImportRowView Row) : DecisionOutcome;
    public sealed record Invalid(FieldErrors Errors) : DecisionOutcome;
    public sealed record NotFound(string Detail) : DecisionOutcome;
    public sealed record Conflict(string Detail) : DecisionOutcome;
}

/// <summary>
/// <c>POST /api/imports/{id}/review/{row}</c>: a person picks the title (and episode) a row means, a candidate or any catalog
/// title, and the row is written as if it had matched; or skips it. Each row is decided once.
/// </summary>
public sealed class ReviewDecisions(Db db, TimeProvider clock)
{
    public async Task<DecisionOutcome> DecideAsync(long userId, long importId, int rowNo, ReviewDecision body, CancellationToken ct)
    {
        var skip = body.Skip == true;
        if (!skip && body.TitleId is null)
            return new DecisionOutcome.Invalid(new FieldErrors().Add("title_id", "Send title_id (and episode_id for an episode), or {\"skip\": true}."));
        if (skip && (body.TitleId is not null || body.EpisodeId is not null))
            return new DecisionOutcome.Invalid(new FieldErrors().Add("skip", "Send either skip or a title_id, not both."));
        var now = clock.GetUtcNow().UtcDateTime;

        return await db.WriteAsync<DecisionOutcome>(async (conn, tx) =>
        {
            var row = await ImportStore.RowForUpdateAsync(conn, tx, userId, importId, rowNo);
            if (row is null) return new DecisionOutcome.NotFound($"Import {importId} has no row {rowNo}.");
            if (row.Status != "review") return new DecisionOutcome.Conflict($"Row {rowNo} is not waiting for review (it is {row.Status}).");
            if (skip)
            {
                await conn.ExecuteAsync("UPDATE history_import_rows SET status = 'dismissed' WHERE import_id = @importId AND row_no = @rowNo", new { importId, rowNo }, tx);
                await conn.ExecuteAsync("UPDATE history_imports SET review = review - 1 WHERE id = @importId", new { importId }, tx);
                return new DecisionOutcome.Done(row.View with { Status = "dismissed" });
            }

            var titleId = body.TitleId!.Value;
            var kind = await conn.QuerySingleOrDefaultAsync<string>("SELECT kind FROM titles WHERE id = @titleId", new { titleId }, tx);
            if (kind is null) return new DecisionOutcome.Invalid(new FieldErrors().Add("title_id", $"There is no title with id {titleId}."));
            var errors = new FieldErrors();
            var watch = row.Action == "watch";
            if (body.EpisodeId is { } episodeId)
            {
                var series = await conn.QuerySingleOrDefaultAsync<long?>("SELECT title_id FROM episodes WHERE id = @episodeId", new { episodeId }, tx);
                if (series != titleId) errors.Add("episode_id", $"Episode {episodeId} is not an episode of title {titleId}.");
                else if (!watch) errors.Add("episode_id", "Ratings and watchlist entries are about a whole title: leave episode_id out.");
            }
            else if (watch && kind == "series" && row.Kind != "series")
                errors.Add("episode_id", "A viewing of a series needs the episode: send episode_id.");
            if (errors.Any) return new DecisionOutcome.Invalid(errors);

            var platformIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            if (row.Platform is { } slug && await conn.QuerySingleOrDefaultAsync<long?>("SELECT id FROM platforms WHERE slug = @slug", new { slug }, tx) is { } pid)
                platformIds[slug] = pid;
            var applied = await HistoryWriter.ApplyAsync(conn, tx, db.Dialect, userId, [(row.ToImportRow(), titleId, body.EpisodeId)], platformIds, [], now);
            var (result, checkinId) = applied[0];
            await conn.ExecuteAsync("""
                UPDATE history_import_rows SET status = 'resolved', title_id = @titleId, episode_id = @episodeId, confidence = 1.0,
                    result = @result, checkin_id = @checkinId
                WHERE import_id = @importId AND row_no = @rowNo
                """, new { importId, rowNo, titleId, episodeId = body.EpisodeId, result, checkinId }, tx);
            await conn.ExecuteAsync("""
                UPDATE history_imports SET review = review - 1, matched = matched + 1,
                    added = added + @added, duplicates = duplicates + @duplicate WHERE id = @importId
                """, new { importId, added = result == "added" ? 1 : 0, duplicate = result == "duplicate" ? 1 : 0 }, tx);
            return new DecisionOutcome.Done(row.View with
            {
                Status = "resolved", Result = result, CheckinId = checkinId,
                Match = new RowMatch(titleId, body.EpisodeId, 1.0, row.Reason),
            });
        }, ct);
    }
}
