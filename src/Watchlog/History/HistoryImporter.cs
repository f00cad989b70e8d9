using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Watchlog.Data;
using Watchlog.Tracking;

namespace Watchlog.History;

/// <summary>Progress of a running import, for the CLI's bar.</summary>
public sealed record ImportProgress(string Stage, int Done, int Total);

/// <summary>
/// Runs one stored import: reads its file, matches every row against the catalog, and writes in short transactions of
/// <see cref="ChunkRows"/> rows: the rows as read (with what they matched), the check-ins, ratings and watchlist entries
/// of the confident ones, and the counters. Anything already in the account (the same title or episode at the same
/// instant, a rating, a listed title) is not written again, so re-importing a file adds nothing twice and a run that
/// was cut off can simply run again. A file that cannot be read fails the import before anything is written.
/// </summary>
public sealed class HistoryImporter(Db db, Matcher matcher, IEnumerable<IHistoryFormat> formats, PlatformDirectory platforms,
    PreferenceStore preferences, TimeProvider clock, ILogger<HistoryImporter> log, IEnumerable<IMissingTitleQueue> missing)
{
    public const int ChunkRows = 2000;

    public IHistoryFormat? Format(string name) => formats.FirstOrDefault(f => f.Name == name);
    public IEnumerable<string> FormatNames => formats.Select(f => f.Name);

    sealed record Claimed
    {
        public long UserId { get; init; }
        public string Format { get; init; } = "";
        public string? Profile { get; init; }
        public string? FileName { get; init; }
        public string TimeZone { get; init; } = "UTC";
    }

    /// <summary>Runs the import if it is still queued (or, when <paramref name="recovering"/>, was cut off while running). False when another runner has it.</summary>
    public async Task<bool> RunAsync(long importId, IProgress<ImportProgress>? progress, CancellationToken ct, bool recovering = false)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.WriteAsync(async (conn, tx) =>
        {
            var states = recovering ? "('queued', 'running')" : "('queued')";
            var n = await conn.ExecuteAsync($"""
                UPDATE history_imports SET status = 'running', started_at = @now, error = NULL,
                    rows_read = 0, matched = 0, review = 0, skipped = 0, added = 0, duplicates = 0
                WHERE id = @importId AND status IN {states}
                """, new { importId, now }, tx);
            if (n == 0) return null;
            await conn.ExecuteAsync("DELETE FROM history_import_rows WHERE import_id = @importId", new { importId }, tx);
            return await conn.QuerySingleAsync<Claimed>("""
                SELECT i.user_id, i.format, i.profile, i.file_name, u.time_zone FROM history_imports i JOIN users u ON u.id = i.user_id WHERE i.id = @importId
                """, new { importId }, tx);
        }, ct);
        if (claimed is null) return false;

        try
        {
            await RunClaimedAsync(importId, claimed, progress, ct);
        }
        catch (HistoryFileException e)
        {
            await FinishAsync(importId, "failed", e.Message, CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // stays 'running': a recovering job (or the next start of the local runner) runs it again
        }
        catch (Exception e)
        {
            log.LogError(e, "History import {ImportId} failed", importId);
            await FinishAsync(importId, "failed", "The import stopped on an internal error; the rows written so far stay, and running it again adds nothing twice.", CancellationToken.None);
        }
        return true;
    }

    async Task RunClaimedAsync(long importId, Claimed claimed, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var format = Format(claimed.Format) ?? throw new HistoryFileException($"Unknown format '{claimed.Format}'.");
        byte[] content;
        await using (var conn = await db.OpenAsync(ct))
            content = await conn.QuerySingleAsync<byte[]>(new CommandDefinition(
                "SELECT content FROM history_import_files WHERE import_id = @importId", new { importId }, cancellationToken: ct));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(claimed.TimeZone);
        var watch = Stopwatch.StartNew();
        progress?.Report(new ImportProgress("reading", 0, 0));
        var parsed = format.Parse(ImportInput.From(content, claimed.FileName), new ImportOptions(claimed.Profile, zone));
        var rows = parsed.Rows;
        var readMs = watch.ElapsedMilliseconds;
        progress?.Report(new ImportProgress("matching", 0, rows.Count));
        var matches = await matcher.MatchAsync(rows, ct);
        await QueueMissingAsync(rows, matches, ct);
        var matchMs = watch.ElapsedMilliseconds - readMs;

        var slugs = rows.Select(r => r.Platform).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = await platforms.FindAllAsync(slugs, ct);
        var platformIds = slugs.Zip(found).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!.Id, StringComparer.OrdinalIgnoreCase);

        var seen = new HashSet<(long, long?, DateTime)>();
        for (var start = 0; start < rows.Count; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows.Count - start);
            var items = Enumerable.Range(start, count).Select(i => new RowWrite(i + 1, rows[i], matches[i])).ToList();
            await db.WriteAsync((conn, tx) => HistoryWriter.WriteAsync(conn, tx, db.Dialect, claimed.UserId, importId, items, platformIds, seen,
                clock.GetUtcNow().UtcDateTime), ct);
            progress?.Report(new ImportProgress("writing", start + count, rows.Count));
        }
        if (parsed.Settings is { } settings) await ApplySettingsAsync(importId, claimed.UserId, settings, ct);
        await FinishAsync(importId, "done", null, ct);
        log.LogInformation("History import {ImportId}: {Rows} rows read in {ReadMs} ms, matched in {MatchMs} ms, written in {WriteMs} ms",
            importId, rows.Count, readMs, matchMs, watch.ElapsedMilliseconds - readMs - matchMs);
    }

    /// <summary>
    /// A Watchlog export's settings: names, time zone and region, preferences, subscribed platforms (the email and password
    /// stay the account's own). Genres and platforms this server doesn't know are left out, and logged.
    /// </summary>
    async Task ApplySettingsAsync(long importId, long userId, AccountSettings s, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync("""
            UPDATE users SET first_name = coalesce(@FirstName, first_name), last_name = coalesce(@LastName, last_name),
                time_zone = coalesce(@TimeZone, time_zone), region = coalesce(@Region, region), updated_at = @now
            WHERE id = @userId
            """, new { s.FirstName, s.LastName, s.TimeZone, s.Region, now, userId }, tx), ct);

        IReadOnlyList<long>? genreIds = null;
        if (s.AvoidGenres is { } slugs)
        {
            var known = await preferences.GenreIdsAsync(slugs.Distinct().ToList(), ct);
            genreIds = slugs.Where(known.ContainsKey).Select(g => known[g]).Distinct().ToList();
            foreach (var unknown in slugs.Where(g => !known.ContainsKey(g)))
                log.LogWarning("History import {ImportId}: genre '{Genre}' is not on this server; left out", importId, unknown);
        }
        var n = s.Notifications;
        await preferences.PatchAsync(userId, new PreferencesPatch(s.Moods, genreIds,
            n is null ? null : new(n.Email), n is null ? null : new(n.TelegramChatId), n is null ? null : new(n.DigestDay), n is null ? null : new(n.DigestHour)), now, ct);

        if (s.Platforms is { } names)
        {
            var found = await platforms.FindAllAsync(names, ct);
            foreach (var (name, _) in names.Zip(found).Where(p => p.Second is null))
                log.LogWarning("History import {ImportId}: platform '{Platform}' is not on this server; left out", importId, name);
            var region = s.Region ?? (await preferences.GetPlatformsAsync(userId, ct))?.Region ?? "US";
            await preferences.SetPlatformsAsync(userId, region, found.Where(p => p is not null).Select(p => p!.Id).Distinct().ToList(), now, ct);
        }
    }

    async Task QueueMissingAsync(IReadOnlyList<ImportRow> rows, IReadOnlyList<MatchResult> matches, CancellationToken ct)
    {
        var queues = missing.ToList();
        if (queues.Count == 0) return;
        var titles = rows.Zip(matches).Where(p => p.Second.Status == "review" && p.Second.Candidates.Count == 0 && p.First.Title is not null)
            .Select(p => (p.First.Kind == "movie" ? "movie" : "series", p.First.Title!, p.First.Year)).Distinct().ToList();
        foreach (var q in queues) await q.QueueAsync(titles, ct);
    }

    Task FinishAsync(long importId, string status, string? error, CancellationToken ct) =>
        db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "UPDATE history_imports SET status = @status, error = @error, finished_at = @now WHERE id = @importId",
            new { importId, status, error, now = clock.GetUtcNow().UtcDateTime }, tx), ct);
}

/// <summary>One row of a chunk: its number in the import, what was read, what it matched.</summary>
public sealed record RowWrite(int RowNo, ImportRow Row, MatchResult Match);

/// <summary>
/// The write side shared by imports, review decisions and webhooks: rows as read, then check-ins, ratings and watchlist
/// entries, never twice. Runs inside the caller's transaction.
/// </summary>
public static class HistoryWriter
{
    static readonly Col[] RowCols =
    [
        new("import_id", "bigint"), new("row_no", "integer"), new("file", "text"), new("line", "integer"), new("action", "text"), new("kind", "text"),
        new("title", "text"), new("year", "integer"), new("season", "integer"), new("episode", "integer"), new("episode_title", "text"),
        new("watched_at", "timestamptz"), new("date_only", "integer"), new("rating", "integer"), new("platform", "text"), new("note", "text"),
        new("imdb_id", "text"), new("tmdb_id", "integer"), new("tvdb_id", "integer"), new("episode_imdb_id", "text"),
        new("status", "text"), new("result", "text"), new("title_id", "bigint"), new("episode_id", "bigint"), new("confidence", "double precision"),
        new("reason", "text"), new("candidates", "text"), new("checkin_id", "bigint"),
    ];

    static readonly Col[] RatingCols = [new("user_id", "bigint"), new("title_id", "bigint"), new("rating", "integer"), new("rated_at", "timestamptz")];

    public static string Action(RowAction a) => a switch { RowAction.Rating => "rating", RowAction.Watchlist => "watchlist", _ => "watch" };

    /// <summary>Writes a chunk of rows and what the matched ones say; <paramref name="seen"/> carries the check-ins already written by this import.</summary>
    public static async Task WriteAsync(DbConnection conn, DbTransaction tx, Dialect dialect, long userId, long importId, IReadOnlyList<RowWrite> items,
        IReadOnlyDictionary<string, long> platformIds, HashSet<(long, long?, DateTime)> seen, DateTime now)
    {
        var results = new (string? Result, long? CheckinId)[items.Count];
        var applied = await ApplyAsync(conn, tx, dialect, userId, items.Select(i => (i.Row, i.Match.Status == "matched" ? i.Match.TitleId : null, i.Match.EpisodeId)).ToList(),
            platformIds, seen, now);
        for (var i = 0; i < items.Count; i++) results[i] = applied[i];

        var bulk = new Bulk(conn, tx, dialect);
        await bulk.CopyAsync("history_import_rows", RowCols, items.Select((w, i) =>
        {
            var r = w.Row;
            var m = w.Match;
            return new object?[]
            {
                importId, w.RowNo, r.File, r.Line, Action(r.Action), r.Kind, r.Title, r.Year, r.Season, r.Episode, r.EpisodeTitle,
                r.WatchedAt, r.DateOnly ? 1 : 0, r.Rating, r.Platform, r.Note, r.ImdbId, r.TmdbId, r.TvdbId, r.EpisodeImdbId,
                m.Status, results[i].Result, m.TitleId, m.EpisodeId, m.Status == "skipped" ? null : m.Confidence, m.Reason,
                m.Candidates.Count == 0 ? null : JsonSerializer.Serialize(m.Candidates.ToList(), HistoryJsonContext.Default.ListCandidate),
                results[i].CheckinId,
            };
        }).ToList());

        await conn.ExecuteAsync("""
            UPDATE history_imports SET rows_read = rows_read + @read, matched = matched + @matched, review = review + @review,
                skipped = skipped + @skipped, added = added + @added, duplicates = duplicates + @duplicates
            WHERE id = @importId
            """, new
        {
            importId,
            read = items.Count,
            matched = items.Count(i => i.Match.Status == "matched"),
            review = items.Count(i => i.Match.Status == "review"),
            skipped = items.Count(i => i.Match.Status == "skipped"),
            added = results.Count(r => r.Result == "added"),
            duplicates = results.Count(r => r.Result == "duplicate"),
        }, tx);
    }

    /// <summary>
    /// Writes what each row says about its matched title (rows with a null title are left alone): a check-in unless the
    /// same title/episode is already checked in at that instant, a rating unless the same one is there, a watchlist entry
    /// unless the title is listed. Returns per row "added" or "duplicate" (null when nothing was to be done) and the check-in id.
    /// </summary>
    public static async Task<(string? Result, long? CheckinId)[]> ApplyAsync(DbConnection conn, DbTransaction tx, Dialect dialect, long userId,
        IReadOnlyList<(ImportRow Row, long? TitleId, long? EpisodeId)> items, IReadOnlyDictionary<string, long> platformIds,
        HashSet<(long, long?, DateTime)> seen, DateTime now)
    {
        var results = new (string? Result, long? CheckinId)[items.Count];
        var pending = new Dictionary<long, (int Rating, DateTime At)>();
        var watches = items.Select((x, i) => (x, i)).Where(p => p.x.TitleId is not null && p.x.Row.Action == RowAction.Watch && p.x.Row.WatchedAt is not null).ToList();
        if (watches.Count > 0)
        {
            // What the account already has for these titles (the index checkins_user_title covers it).
            var titleIds = watches.Select(w => w.x.TitleId!.Value).Distinct().ToArray();
            var existing = await conn.QueryAsync<(long TitleId, long? EpisodeId, DateTime WatchedAt, long Id)>(dialect == Dialect.Sqlite
                ? "SELECT title_id, episode_id, watched_at, id FROM checkins WHERE user_id = @userId AND title_id IN (SELECT value FROM json_each(@ids))"
                : "SELECT title_id, episode_id, watched_at, id FROM checkins WHERE user_id = @userId AND title_id = ANY(@ids)",
                new { userId, ids = dialect == Dialect.Sqlite ? (object)("[" + string.Join(",", titleIds) + "]") : titleIds }, tx);
            var have = new Dictionary<(long, long?, DateTime), long>();
            foreach (var e in existing) have.TryAdd((e.TitleId, e.EpisodeId, TrackingRules.ToMicroseconds(DateTime.SpecifyKind(e.WatchedAt, DateTimeKind.Utc))), e.Id);

            var fresh = new List<(int Index, CheckInStore.NewCheckIn CheckIn)>();
            foreach (var (x, i) in watches)
            {
                var at = TrackingRules.ToMicroseconds(DateTime.SpecifyKind(x.Row.WatchedAt!.Value, DateTimeKind.Utc));
                var key = (x.TitleId!.Value, x.EpisodeId, at);
                if (have.TryGetValue(key, out var id)) { results[i] = ("duplicate", id); continue; }
                if (!seen.Add(key)) { results[i] = ("duplicate", null); continue; }
                long? platform = x.Row.Platform is { } slug && platformIds.TryGetValue(slug, out var pid) ? pid : null;
                fresh.Add((i, new CheckInStore.NewCheckIn(x.TitleId.Value, x.EpisodeId, at, platform, x.Row.Rating, x.Row.Note)));
            }
            var ids = await CheckInStore.InsertManyAsync(conn, tx, dialect, userId, fresh.Select(f => f.CheckIn).ToList(), now);
            for (var k = 0; k < fresh.Count; k++)
            {
                results[fresh[k].Index] = ("added", ids[k]);
                have[(fresh[k].CheckIn.TitleId, fresh[k].CheckIn.EpisodeId, fresh[k].CheckIn.WatchedAt)] = ids[k];
            }
            if (fresh.Any(f => f.CheckIn.EpisodeId is not null)) await ProgressStore.RebuildForUserAsync(conn, tx, userId);
            // A check-in with a rating also rates the title, as POST /api/checkins does (the latest one's, when several).
            foreach (var f in fresh.Where(f => f.CheckIn.Rating is not null).OrderBy(f => f.CheckIn.WatchedAt))
                pending[f.CheckIn.TitleId] = (f.CheckIn.Rating!.Value, f.CheckIn.WatchedAt);
        }

        // Ratings: compared with what is stored (read once for the chunk), written in one statement.
        var ratingRows = items.Select((x, i) => (x, i)).Where(p => p.x.TitleId is not null && p.x.Row.Action == RowAction.Rating && p.x.Row.Rating is not null).ToList();
        if (ratingRows.Count > 0)
        {
            var titleIds = ratingRows.Select(p => p.x.TitleId!.Value).Distinct().ToArray();
            var stored = (await conn.QueryAsync<(long TitleId, int Rating, DateTime RatedAt)>(dialect == Dialect.Sqlite
                    ? "SELECT title_id, rating, rated_at FROM ratings WHERE user_id = @userId AND title_id IN (SELECT value FROM json_each(@ids))"
                    : "SELECT title_id, rating, rated_at FROM ratings WHERE user_id = @userId AND title_id = ANY(@ids)",
                    new { userId, ids = dialect == Dialect.Sqlite ? (object)("[" + string.Join(",", titleIds) + "]") : titleIds }, tx))
                .ToDictionary(r => r.TitleId, r => (r.Rating, At: DateTime.SpecifyKind(r.RatedAt, DateTimeKind.Utc)));
            foreach (var ((row, titleId, _), i) in ratingRows)
            {
                var t = titleId!.Value;
                var rating = (Rating: row.Rating!.Value, At: row.WatchedAt ?? now);
                if (pending.TryGetValue(t, out var current) || stored.TryGetValue(t, out current))
                    if (current.Rating == rating.Rating && TrackingRules.ToMicroseconds(current.At) == TrackingRules.ToMicroseconds(rating.At))
                    { results[i] = ("duplicate", null); continue; }
                pending[t] = rating;
                results[i] = ("added", null);
            }
        }
        if (pending.Count > 0)
            await new Bulk(conn, tx, dialect).InsertAsync("ratings", RatingCols,
                pending.Select(r => new object?[] { userId, r.Key, r.Value.Rating, r.Value.At }).ToList(),
                "ON CONFLICT (user_id, title_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at");

        for (var i = 0; i < items.Count; i++)
        {
            var (row, titleId, _) = items[i];
            if (titleId is not { } t || row.Action != RowAction.Watchlist) continue;
            long? platform = row.Platform is { } slug && platformIds.TryGetValue(slug, out var pid) ? pid : null;
            var added = await WatchlistStore.InsertAsync(conn, tx, userId, t, platform, row.WatchedAt ?? now, row.WatchlistWatchedAt);
            results[i] = (added ? "added" : "duplicate", null);
        }
        return results;
    }
}
