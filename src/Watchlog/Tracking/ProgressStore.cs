using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>
/// "Up next" for every series a user has checked in, in one query whose cost follows the number of series, not of
/// check-ins: per-series facts from check-ins are kept in <c>user_series</c> (written with the check-ins), and the
/// catalog side is read through index ranges of <c>episodes_title_air</c>. Rules, outside specials (season 0):
/// <list type="bullet">
/// <item>watched: distinct episodes with at least one check-in;</item>
/// <item>aired: episodes with an air date on or before the user's today; episodes without an air date when a later
///   episode (in season/number order) has aired, or when the series has no dated episode at all; and any episode the
///   user has watched (so watched ≤ aired, and percent ≤ 100);</item>
/// <item>next episode: the first aired, unwatched episode after the most recently watched one, else the first aired,
///   unwatched episode; null when caught up;</item>
/// <item>last watched at: the latest check-in of any episode of the series, specials included; it orders the list.</item>
/// </list>
/// </summary>
public sealed class ProgressStore(Db db) : IDisposable
{
    sealed record Row
    {
        public long TitleId { get; init; }
        public string Title { get; init; } = "";
        public int? Year { get; init; }
        public DateTime LastWatchedAt { get; init; }
        public long Watched { get; init; }
        public long Aired { get; init; }
        public long? NextId { get; init; }
        public int? NextSeason { get; init; }
        public int? NextNumber { get; init; }
        public string? NextTitle { get; init; }
        public DateOnly? NextAirDate { get; init; }
    }

    // An episode's place in the series as one number (season * 1,000,000 + number), to compare with the aired frontier.
    const string Pos = "(CAST(e.season_number AS bigint) * 1000000 + e.number)";
    // Aired by the rules above, for an episode the user has not watched (e: the episode, s: its series' facts).
    const string AiredByDate = $"(e.air_date <= @today OR (e.air_date IS NULL AND (s.has_dated = 0 OR {Pos} < s.frontier)))";
    // One index probe per episode. OFFSET 0 keeps PostgreSQL from turning it into a (semi/anti) join that reads all of
    // the series' check-ins for every episode it looks at.
    const string Watched = "EXISTS (SELECT 1 FROM checkins x WHERE x.user_id = @userId AND x.title_id = e.title_id AND x.episode_id = e.id LIMIT 1 OFFSET 0)";
    const string Unwatched = "NOT " + Watched;

    // ------------------------------------------------------------------ reading, with each series' answer kept

    /// <summary>What one series' answer was computed from: its progress row's stamp and its title's updated_at.</summary>
    sealed record StampRow
    {
        public long TitleId { get; init; }
        public long Stamp { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    sealed record Kept(long Stamp, DateTime CatalogAt, ProgressItem Item)
    {
        public bool Matches(StampRow row) => Stamp == row.Stamp && CatalogAt == row.UpdatedAt;
    }

    /// <summary>A user's answers for one day (what has aired depends on it).</summary>
    sealed record KeptProgress(DateOnly Today, Dictionary<long, Kept> Series);

    // Bounded by series across all users (~200 bytes each); a user's answers go after half an hour unread.
    readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = 200_000 });
    static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(30);

    public void Dispose() => _kept.Dispose();

    /// <summary>
    /// Every series the user has checked in, most recently watched first. Computing a series' answer reads the catalog
    /// (a few index ranges, a check-in probe per episode looked at); with 300 series that is tens of milliseconds. So
    /// each series' answer is kept in memory with the stamps it was computed from, and a request reads only the stamps
    /// (one short index range) and recomputes the series whose progress row or title changed since, or everything on a
    /// new day. The stamps live in the database, so every node sees every other node's writes.
    /// </summary>
    public async Task<IReadOnlyList<ProgressItem>> ForUserAsync(long userId, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var stamps = (await conn.QueryAsync<StampRow>(new CommandDefinition("""
            SELECT us.title_id, us.stamp, t.updated_at
            FROM user_series us JOIN titles t ON t.id = us.title_id
            WHERE us.user_id = @userId
            """, new { userId }, cancellationToken: ct))).AsList();
        var before = _kept.Get<KeptProgress>(userId) is { } k && k.Today == today ? k.Series : null;
        var stale = stamps.Where(r => before is null || !before.TryGetValue(r.TitleId, out var kept) || !kept.Matches(r)).Select(r => r.TitleId).ToList();
        // Read after the stamps, the answers are at least as new as them: a write in between only means recomputing again.
        var fresh = stale.Count == 0
            ? new Dictionary<long, ProgressItem>()
            : (await ComputeAsync(conn, userId, today, stale.Count == stamps.Count ? null : stale, ct)).ToDictionary(i => i.Title.Id);

        var series = new Dictionary<long, Kept>(stamps.Count);
        foreach (var r in stamps)
        {
            if (fresh.TryGetValue(r.TitleId, out var item)) series[r.TitleId] = new Kept(r.Stamp, r.UpdatedAt, item);
            else if (before is not null && before.TryGetValue(r.TitleId, out var kept) && kept.Matches(r)) series[r.TitleId] = kept;
            // else the series' last check-in was deleted between the two reads: it is no longer in progress
        }
        if (stale.Count > 0 || before is null)
            _kept.Set(userId, new KeptProgress(today, series), new MemoryCacheEntryOptions { Size = series.Count + 1, SlidingExpiration = KeepFor });
        return series.Values.Select(k => k.Item)
            .OrderByDescending(i => i.LastWatchedAt).ThenByDescending(i => i.Title.Id)
            .ToList();
    }

    /// <summary>
    /// The answers for the user's series (<paramref name="only"/> these, or all). The cost follows the series, not the
    /// check-ins: per series, one count over its aired episodes in episodes_title_air, then short index ranges (the last
    /// aired episode, episodes still to come or undated, the next one to watch), probing a check-in only for those few.
    /// MATERIALIZED computes each CTE once (SQLite would otherwise inline it and repeat its subqueries).
    /// </summary>
    async Task<IReadOnlyList<ProgressItem>> ComputeAsync(DbConnection conn, long userId, DateOnly today, IReadOnlyList<long>? only, CancellationToken ct)
    {
        var onlyThese = only is null ? "" : db.Pick(sqlite: "AND us.title_id IN @only", postgres: "AND us.title_id = ANY(@only)");
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            WITH s AS MATERIALIZED (
                SELECT us.title_id, us.watched_episodes, us.last_watched_at, us.last_episode_id,
                       (SELECT count(*) FROM episodes e
                        WHERE e.title_id = us.title_id AND e.air_date <= @today AND e.season_number > 0) AS dated_aired,
                       (SELECT {Pos} FROM episodes e
                        WHERE e.title_id = us.title_id AND e.season_number > 0 AND e.air_date <= @today
                        ORDER BY e.season_number DESC, e.number DESC LIMIT 1) AS frontier,
                       CASE WHEN EXISTS (SELECT 1 FROM episodes e WHERE e.title_id = us.title_id AND e.air_date IS NOT NULL AND e.season_number > 0)
                            THEN 1 ELSE 0 END AS has_dated
                FROM user_series us
                WHERE us.user_id = @userId {onlyThese}
            ),
            counts AS MATERIALIZED (
                SELECT s.title_id,
                       (SELECT count(*) FROM episodes e
                        WHERE e.title_id = s.title_id AND e.air_date IS NULL AND e.season_number > 0
                          AND (s.has_dated = 0 OR {Pos} < s.frontier)) AS undated_aired,
                       (SELECT count(*) FROM episodes e
                        WHERE e.title_id = s.title_id AND e.air_date > @today AND e.season_number > 0 AND {Watched})
                     + (SELECT count(*) FROM episodes e
                        WHERE e.title_id = s.title_id AND e.air_date IS NULL AND e.season_number > 0
                          AND s.has_dated = 1 AND (s.frontier IS NULL OR {Pos} > s.frontier) AND {Watched}) AS watched_unaired
                FROM s
            ),
            nexts AS MATERIALIZED (
                SELECT s.title_id, s.dated_aired + c.undated_aired + c.watched_unaired AS aired,
                       CASE WHEN s.watched_episodes - c.watched_unaired < s.dated_aired + c.undated_aired THEN COALESCE(
                           (SELECT e.id FROM episodes e
                            WHERE e.title_id = s.title_id AND e.season_number > 0
                              AND (e.season_number, e.number) > (le.season_number, le.number)
                              AND {AiredByDate} AND {Unwatched}
                            ORDER BY e.season_number, e.number LIMIT 1),
                           (SELECT e.id FROM episodes e
                            WHERE e.title_id = s.title_id AND e.season_number > 0 AND {AiredByDate} AND {Unwatched}
                            ORDER BY e.season_number, e.number LIMIT 1)) END AS next_id
                FROM s
                JOIN counts c ON c.title_id = s.title_id
                LEFT JOIN episodes le ON le.id = s.last_episode_id
            )
            SELECT t.id AS title_id, t.title, t.year, s.last_watched_at, s.watched_episodes AS watched, n.aired,
                   ne.id AS next_id, ne.season_number AS next_season, ne.number AS next_number, ne.title AS next_title,
                   ne.air_date AS next_air_date
            FROM s
            JOIN titles t ON t.id = s.title_id
            JOIN nexts n ON n.title_id = s.title_id
            LEFT JOIN episodes ne ON ne.id = n.next_id
            """, new { userId, today, only = only?.ToArray() }, cancellationToken: ct));
        return rows.Select(r => new ProgressItem(
                new TitleRef(r.TitleId, r.Title, "series", r.Year),
                (int)r.Watched, (int)r.Aired,
                r.Aired == 0 ? 0 : Math.Min(100, Math.Round(100.0 * r.Watched / r.Aired, 1)), // ≤ 100 even if the catalog moved a watched episode into specials
                r.NextId is { } id ? new NextEpisode(id, r.NextSeason ?? 0, r.NextNumber ?? 0, r.NextTitle, r.NextAirDate) : null,
                r.LastWatchedAt))
            .ToList();
    }

    // ------------------------------------------------------------------ keeping user_series in step with checkins

    /// <summary>
    /// Serializes the writers of one user's series for the rest of the transaction, so the "was this episode watched
    /// before?" count can't race. SQLite has one writer already; PostgreSQL takes a transaction-scoped advisory lock.
    /// </summary>
    public static async Task LockSeriesAsync(DbConnection conn, DbTransaction tx, Dialect dialect, long userId, long titleId)
    {
        if (dialect != Dialect.Postgres) return;
        // Two-key form, the first naming this use ("WLUS") so it can't meet one-key locks (the migrator's). The second is
        // the same on every node (not HashCode, which is seeded per process); two pairs sharing it only wait for each other.
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(@space, @key)",
            new { space = 0x574C5553, key = unchecked((int)(userId * 1_000_003 + titleId)) }, tx);
    }

    // What a progress row becomes when check-ins are added to it (the new facts are in "excluded"): the later check-in
    // wins, a later one of the same instant too (it has the larger id).
    const string MergeIntoProgress = """
        ON CONFLICT (user_id, title_id) DO UPDATE SET
            watched_episodes = user_series.watched_episodes + excluded.watched_episodes,
            last_watched_at = CASE WHEN excluded.last_watched_at > user_series.last_watched_at
                                   THEN excluded.last_watched_at ELSE user_series.last_watched_at END,
            last_episode_id = CASE WHEN excluded.last_episode_at IS NOT NULL
                                        AND (user_series.last_episode_at IS NULL OR excluded.last_episode_at >= user_series.last_episode_at)
                                   THEN excluded.last_episode_id ELSE user_series.last_episode_id END,
            last_episode_at = CASE WHEN excluded.last_episode_at IS NOT NULL
                                        AND (user_series.last_episode_at IS NULL OR excluded.last_episode_at >= user_series.last_episode_at)
                                   THEN excluded.last_episode_at ELSE user_series.last_episode_at END,
            stamp = excluded.stamp
        """;

    /// <summary>
    /// Adds one new check-in (<paramref name="checkInId"/>, of <paramref name="episode"/>, written in this transaction after
    /// <see cref="LockSeriesAsync"/>) to its series' progress row, in one statement: the episode counts as newly watched
    /// unless it is a special or another check-in of it exists.
    /// </summary>
    public static Task AddOneAsync(DbConnection conn, DbTransaction tx, long userId, long titleId, EpisodeRef episode, long checkInId, DateTime watchedAt)
    {
        var special = episode.Season == 0;
        // "WHERE true": SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT to parse it as an upsert.
        return conn.ExecuteAsync($"""
            INSERT INTO user_series (user_id, title_id, watched_episodes, last_watched_at, last_episode_id, last_episode_at, stamp)
            SELECT @userId, @titleId,
                   CASE WHEN @special OR EXISTS (SELECT 1 FROM checkins o
                                                 WHERE o.user_id = @userId AND o.title_id = @titleId AND o.episode_id = @episodeId AND o.id <> @checkInId)
                        THEN 0 ELSE 1 END,
                   @watchedAt, @lastEpisodeId, @lastEpisodeAt, @stamp
            WHERE true
            {MergeIntoProgress}
            """, new
        {
            userId, titleId, special, episodeId = episode.Id, checkInId, watchedAt,
            lastEpisodeId = special ? null : (long?)episode.Id,
            lastEpisodeAt = special ? null : (DateTime?)watchedAt, stamp = NewStamp(),
        }, tx);
    }

    /// <summary>Adds new check-ins of one series (ids from this transaction, after <see cref="LockSeriesAsync"/>) to its progress row.</summary>
    public static async Task AddCheckInsAsync(DbConnection conn, DbTransaction tx, Dialect dialect, long userId, long titleId, IReadOnlyList<long> ids)
    {
        if (ids.Count == 0) return;
        var inIds = dialect == Dialect.Sqlite ? "c.id IN @ids" : "c.id = ANY(@ids)";
        var p = new { userId, titleId, ids = ids.ToArray(), firstId = ids.Min() };
        var added = await conn.QuerySingleAsync<AddedRow>($"""
            SELECT count(DISTINCT CASE WHEN e.season_number > 0 AND NOT EXISTS (
                       SELECT 1 FROM checkins o
                       WHERE o.user_id = @userId AND o.title_id = @titleId AND o.episode_id = c.episode_id AND o.id < @firstId)
                   THEN c.episode_id END) AS new_episodes,
                   max(c.watched_at) AS last_at
            FROM checkins c JOIN episodes e ON e.id = c.episode_id
            WHERE c.user_id = @userId AND {inIds}
            """, p, tx);
        var latest = await conn.QuerySingleOrDefaultAsync<LatestRow>($"""
            SELECT c.episode_id, c.watched_at FROM checkins c JOIN episodes e ON e.id = c.episode_id
            WHERE c.user_id = @userId AND {inIds} AND e.season_number > 0
            ORDER BY c.watched_at DESC, c.id DESC LIMIT 1
            """, p, tx);
        await conn.ExecuteAsync($"""
            INSERT INTO user_series (user_id, title_id, watched_episodes, last_watched_at, last_episode_id, last_episode_at, stamp)
            VALUES (@userId, @titleId, @newEpisodes, @lastAt, @episodeId, @episodeAt, @stamp)
            {MergeIntoProgress}
            """, new
        {
            userId, titleId, newEpisodes = (int)added.NewEpisodes, lastAt = added.LastAt,
            episodeId = latest?.EpisodeId, episodeAt = latest?.WatchedAt, stamp = NewStamp(),
        }, tx);
    }

    /// <summary>Recomputes one series' progress row from its check-ins (after a deletion); removes it when none are left.</summary>
    public static async Task RecomputeAsync(DbConnection conn, DbTransaction tx, long userId, long titleId)
    {
        var p = new { userId, titleId, stamp = NewStamp() };
        await conn.ExecuteAsync("""
            DELETE FROM user_series WHERE user_id = @userId AND title_id = @titleId
              AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.user_id = @userId AND c.title_id = @titleId)
            """, p, tx);
        await conn.ExecuteAsync("""
            UPDATE user_series SET
                watched_episodes = (SELECT count(DISTINCT c.episode_id) FROM checkins c JOIN episodes e ON e.id = c.episode_id
                                    WHERE c.user_id = @userId AND c.title_id = @titleId AND e.season_number > 0),
                last_watched_at = (SELECT max(c.watched_at) FROM checkins c WHERE c.user_id = @userId AND c.title_id = @titleId),
                last_episode_id = (SELECT c.episode_id FROM checkins c JOIN episodes e ON e.id = c.episode_id
                                   WHERE c.user_id = @userId AND c.title_id = @titleId AND e.season_number > 0
                                   ORDER BY c.watched_at DESC, c.id DESC LIMIT 1),
                last_episode_at = (SELECT c.watched_at FROM checkins c JOIN episodes e ON e.id = c.episode_id
                                   WHERE c.user_id = @userId AND c.title_id = @titleId AND e.season_number > 0
                                   ORDER BY c.watched_at DESC, c.id DESC LIMIT 1),
                stamp = @stamp
            WHERE user_id = @userId AND title_id = @titleId
            """, p, tx);
    }

    /// <summary>
    /// Rebuilds every progress row of a user from their check-ins, set-based: for writers that add check-ins in bulk
    /// (history imports, benchmark seeding) and for checking that the incremental upkeep agrees.
    /// </summary>
    public static async Task RebuildForUserAsync(DbConnection conn, DbTransaction tx, long userId)
    {
        var p = new { userId, stamp = NewStamp() };
        await conn.ExecuteAsync("DELETE FROM user_series WHERE user_id = @userId", p, tx);
        await conn.ExecuteAsync("""
            INSERT INTO user_series (user_id, title_id, watched_episodes, last_watched_at, last_episode_id, last_episode_at, stamp)
            SELECT c.user_id, c.title_id, count(DISTINCT CASE WHEN e.season_number > 0 THEN c.episode_id END), max(c.watched_at), NULL, NULL,
                   @stamp + c.title_id
            FROM checkins c JOIN episodes e ON e.id = c.episode_id
            WHERE c.user_id = @userId
            GROUP BY c.user_id, c.title_id
            """, p, tx);
        await conn.ExecuteAsync("""
            UPDATE user_series SET
                last_episode_id = (SELECT c.episode_id FROM checkins c JOIN episodes e ON e.id = c.episode_id
                                   WHERE c.user_id = user_series.user_id AND c.title_id = user_series.title_id AND e.season_number > 0
                                   ORDER BY c.watched_at DESC, c.id DESC LIMIT 1),
                last_episode_at = (SELECT c.watched_at FROM checkins c JOIN episodes e ON e.id = c.episode_id
                                   WHERE c.user_id = user_series.user_id AND c.title_id = user_series.title_id AND e.season_number > 0
                                   ORDER BY c.watched_at DESC, c.id DESC LIMIT 1)
            WHERE user_id = @userId
            """, p, tx);
    }

    /// <summary>A new value for a changed row's <c>stamp</c>: random, so that no sequence of changes can bring an old one back.</summary>
    static long NewStamp() => Random.Shared.NextInt64(1, 1L << 62);   // room for RebuildForUserAsync's "+ title_id"

    sealed record AddedRow
    {
        public long NewEpisodes { get; init; }
        public DateTime LastAt { get; init; }
    }

    sealed record LatestRow
    {
        public long EpisodeId { get; init; }
        public DateTime WatchedAt { get; init; }
    }
}
