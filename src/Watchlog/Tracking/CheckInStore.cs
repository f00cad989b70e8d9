using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>What to list in the history; every bound is optional. <see cref="To"/> is exclusive.</summary>
public sealed record HistoryQuery(DateTime? From, DateTime? To, string? Kind, long? TitleId, long? PlatformId, HistoryCursor? After, int Limit);

/// <summary>The position after which the next history page starts: the last (watched_at, id) shown, as an opaque string.</summary>
public sealed record HistoryCursor(DateTime WatchedAt, long Id)
{
    const string Version = "h1";

    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"{Version}:{WatchedAt.Ticks}:{Id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static HistoryCursor? Decode(string input)
    {
        if (input.Length is 0 or > 100) return null;
        try
        {
            var b64 = input.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(':');
            if (parts.Length != 3 || parts[0] != Version) return null;
            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks) return null;
            if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0) return null;
            return new HistoryCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        }
        catch (FormatException) { return null; }
    }
}

/// <summary>Check-ins: written for one user, read back with their title, episode and platform, always scoped to the owner in SQL.</summary>
public sealed class CheckInStore(Db db)
{
    sealed record Row
    {
        public long Id { get; init; }
        public DateTime WatchedAt { get; init; }
        public int? Rating { get; init; }
        public string? Note { get; init; }
        public long TitleId { get; init; }
        public string TitleName { get; init; } = "";
        public string TitleKind { get; init; } = "";
        public int? TitleYear { get; init; }
        public long? EpisodeId { get; init; }
        public int? EpisodeSeason { get; init; }
        public int? EpisodeNumber { get; init; }
        public string? EpisodeTitle { get; init; }
        public string? PlatformSlug { get; init; }
        public string? PlatformName { get; init; }

        public CheckInView ToView() => new(Id, WatchedAt, new TitleRef(TitleId, TitleName, TitleKind, TitleYear),
            EpisodeId is { } e ? new EpisodeRef(e, EpisodeSeason ?? 0, EpisodeNumber ?? 0, EpisodeTitle) : null,
            PlatformSlug is { } slug ? new PlatformRef(slug, PlatformName ?? slug) : null,
            Rating, Note);
    }

    const string Select = """
        SELECT c.id, c.watched_at, c.rating, c.note,
               t.id AS title_id, t.title AS title_name, t.kind AS title_kind, t.year AS title_year,
               e.id AS episode_id, e.season_number AS episode_season, e.number AS episode_number, e.title AS episode_title,
               p.slug AS platform_slug, p.name AS platform_name
        FROM checkins c
        JOIN titles t ON t.id = c.title_id
        LEFT JOIN episodes e ON e.id = c.episode_id
        LEFT JOIN platforms p ON p.id = c.platform_id
        """;

    /// <summary>The user's check-ins with these ids (inside a write, to answer with what was just written), in id order.</summary>
    public async Task<IReadOnlyList<CheckInView>> ViewsAsync(DbConnection conn, DbTransaction? tx, long userId, IReadOnlyList<long> ids)
    {
        if (ids.Count == 0) return [];
        var rows = await conn.QueryAsync<Row>(Select + "\n" + db.Pick(
            sqlite: "WHERE c.user_id = @userId AND c.id IN @ids ORDER BY c.id",
            postgres: "WHERE c.user_id = @userId AND c.id = ANY(@ids) ORDER BY c.id"), new { userId, ids = ids.ToArray() }, tx);
        return rows.Select(r => r.ToView()).ToList();
    }

    /// <summary>Newest first (watched_at, then id, descending), one page after the cursor.</summary>
    public async Task<CheckInPage> HistoryAsync(long userId, HistoryQuery q, CancellationToken ct)
    {
        var where = new StringBuilder("WHERE c.user_id = @userId");
        if (q.After is not null) where.Append(" AND (c.watched_at, c.id) < (@afterAt, @afterId)");
        if (q.From is not null) where.Append(" AND c.watched_at >= @from");
        if (q.To is not null) where.Append(" AND c.watched_at < @to");
        if (q.Kind is not null) where.Append(" AND t.kind = @kind");
        if (q.TitleId is not null) where.Append(" AND c.title_id = @titleId");
        if (q.PlatformId is not null) where.Append(" AND c.platform_id = @platformId");
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition($"""
            {Select}
            {where}
            ORDER BY c.watched_at DESC, c.id DESC
            LIMIT @take
            """, new
        {
            userId,
            afterAt = q.After?.WatchedAt ?? default,
            afterId = q.After?.Id ?? 0,
            from = q.From ?? default,
            to = q.To ?? default,
            kind = q.Kind,
            titleId = q.TitleId ?? 0,
            platformId = q.PlatformId ?? 0,
            take = q.Limit + 1,
        }, cancellationToken: ct))).ToList();
        var page = rows.Take(q.Limit).Select(r => r.ToView()).ToList();
        var next = rows.Count > q.Limit ? new HistoryCursor(page[^1].WatchedAt, page[^1].Id).Encode() : null;
        return new CheckInPage(page, next);
    }

    /// <summary>
    /// What the user has watched of one title, for its page: per episode (with its season) how many check-ins and the
    /// latest; a row without an episode counts the title's own check-ins (a movie). One index range of checkins_user_title.
    /// </summary>
    public async Task<IReadOnlyList<WatchedEpisode>> WatchedInTitleAsync(long userId, long titleId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<WatchedEpisode>(new CommandDefinition("""
            SELECT c.episode_id, e.season_number, count(*) AS times, max(c.watched_at) AS last_watched_at
            FROM checkins c LEFT JOIN episodes e ON e.id = c.episode_id
            WHERE c.user_id = @userId AND c.title_id = @titleId
            GROUP BY c.episode_id, e.season_number
            """, new { userId, titleId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Which of <paramref name="titleIds"/> the user has checked in at all (a person's filmography marks).</summary>
    public async Task<IReadOnlySet<long>> WatchedTitlesAsync(long userId, IReadOnlyCollection<long> titleIds, CancellationToken ct)
    {
        if (titleIds.Count == 0) return new HashSet<long>();
        await using var conn = await db.OpenAsync(ct);
        var ids = titleIds.ToArray();
        return (await conn.QueryAsync<long>(new CommandDefinition(db.Pick(
            sqlite: "SELECT DISTINCT title_id FROM checkins WHERE user_id = @userId AND title_id IN @ids",
            postgres: "SELECT DISTINCT title_id FROM checkins WHERE user_id = @userId AND title_id = ANY(@ids)"),
            new { userId, ids }, cancellationToken: ct))).ToHashSet();
    }

    /// <summary>False when there is no such check-in or it belongs to someone else (the caller answers 404 either way).</summary>
    public Task<bool> DeleteAsync(long userId, long id, CancellationToken ct) =>
        db.WriteAsync(async (conn, tx) =>
        {
            var found = await conn.QuerySingleOrDefaultAsync<Owned>(
                "SELECT title_id, episode_id FROM checkins WHERE id = @id AND user_id = @userId", new { id, userId }, tx);
            if (found is null) return false;
            if (found.EpisodeId is not null) await ProgressStore.LockSeriesAsync(conn, tx, db.Dialect, userId, found.TitleId);
            await conn.ExecuteAsync("DELETE FROM checkins WHERE id = @id AND user_id = @userId", new { id, userId }, tx);
            if (found.EpisodeId is not null) await ProgressStore.RecomputeAsync(conn, tx, userId, found.TitleId);
            return true;
        }, ct);

    sealed record Owned
    {
        public long TitleId { get; init; }
        public long? EpisodeId { get; init; }
    }

    /// <summary>The values every check-in of one request shares.</summary>
    public sealed record Shared(long UserId, DateTime WatchedAt, long? PlatformId, int? Rating, string? Note, DateTime Now);

    /// <summary>Inserts one check-in (a movie when <paramref name="episodeId"/> is null); returns its id.</summary>
    public static Task<long> InsertOneAsync(DbConnection conn, DbTransaction tx, Shared s, long titleId, long? episodeId) =>
        conn.ExecuteScalarAsync<long>("""
            INSERT INTO checkins (user_id, title_id, episode_id, watched_at, platform_id, rating, note, created_at)
            VALUES (@UserId, @titleId, @episodeId, @WatchedAt, @PlatformId, @Rating, @Note, @Now)
            RETURNING id
            """, new { s.UserId, titleId, episodeId, s.WatchedAt, s.PlatformId, s.Rating, s.Note, s.Now }, tx);

    /// <summary>A check-in of a bulk write (history imports): a movie when <see cref="EpisodeId"/> is null.</summary>
    public sealed record NewCheckIn(long TitleId, long? EpisodeId, DateTime WatchedAt, long? PlatformId, int? Rating, string? Note);

    /// <summary>
    /// Inserts many check-ins of one user in one statement per engine (<see cref="Bulk"/>) and returns their ids in the
    /// order given. The caller keeps <c>user_series</c> right afterwards (<see cref="ProgressStore.RebuildForUserAsync"/>).
    /// </summary>
    public static async Task<long[]> InsertManyAsync(DbConnection conn, DbTransaction tx, Dialect dialect, long userId, IReadOnlyList<NewCheckIn> rows, DateTime now)
    {
        if (rows.Count == 0) return [];
        var bulk = new Bulk(conn, tx, dialect);
        var ids = await bulk.NextIdsAsync("checkins", rows.Count);
        Col[] cols = [new("id", "bigint"), new("user_id", "bigint"), new("title_id", "bigint"), new("episode_id", "bigint"), new("watched_at", "timestamptz"),
            new("platform_id", "bigint"), new("rating", "integer"), new("note", "text"), new("created_at", "timestamptz")];
        await bulk.InsertAsync("checkins", cols, rows.Select((r, i) => new object?[]
            { ids[i], userId, r.TitleId, r.EpisodeId, r.WatchedAt, r.PlatformId, r.Rating, r.Note, now }).ToList());
        return ids;
    }

    /// <summary>
    /// One check-in per episode of the season, in order, leaving out episodes dated after <paramref name="today"/>
    /// (undated ones are taken: the season is being checked in as watched).
    /// </summary>
    public static async Task<List<long>> InsertSeasonAsync(DbConnection conn, DbTransaction tx, Shared s, long titleId, int season, DateOnly today) =>
        (await conn.QueryAsync<long>("""
            INSERT INTO checkins (user_id, title_id, episode_id, watched_at, platform_id, rating, note, created_at)
            SELECT @UserId, e.title_id, e.id, @WatchedAt, @PlatformId, @Rating, @Note, @Now
            FROM episodes e
            WHERE e.title_id = @titleId AND e.season_number = @season AND (e.air_date IS NULL OR e.air_date <= @today)
            ORDER BY e.number
            RETURNING id
            """, new { s.UserId, titleId, season, today, s.WatchedAt, s.PlatformId, s.Rating, s.Note, s.Now }, tx)).Order().ToList();

    /// <summary>
    /// One check-in per episode up to and including the target in (season, number) order that the user has not
    /// watched yet: specials excluded, and only episodes aired by <paramref name="today"/> (undated ones before the
    /// target count as aired, since a later one was watched; the target itself is always taken).
    /// </summary>
    public static async Task<List<long>> InsertUpToAsync(DbConnection conn, DbTransaction tx, Shared s, long titleId, long targetId,
        int season, int number, DateOnly today) =>
        (await conn.QueryAsync<long>("""
            INSERT INTO checkins (user_id, title_id, episode_id, watched_at, platform_id, rating, note, created_at)
            SELECT @UserId, e.title_id, e.id, @WatchedAt, @PlatformId, @Rating, @Note, @Now
            FROM episodes e
            WHERE e.title_id = @titleId AND e.season_number > 0
              AND (e.season_number < @season OR (e.season_number = @season AND e.number <= @number))
              AND (e.id = @targetId OR e.air_date IS NULL OR e.air_date <= @today)
              AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.user_id = @UserId AND c.title_id = @titleId AND c.episode_id = e.id)
            ORDER BY e.season_number, e.number
            RETURNING id
            """, new { s.UserId, titleId, targetId, season, number, today, s.WatchedAt, s.PlatformId, s.Rating, s.Note, s.Now }, tx)).Order().ToList();
}
