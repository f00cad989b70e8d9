using Dapper;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>
/// "Up next": one set-based query over the user's check-ins and their series' episodes (never a query per series).
/// Rules, all outside specials (season 0):
/// <list type="bullet">
/// <item>watched: distinct episodes with at least one check-in;</item>
/// <item>aired: episodes with an air date on or before the user's today, plus episodes without an air date when a
///   later episode (in season/number order) has aired or when the series has no dated episode at all, plus any
///   episode the user has watched (so watched ≤ aired and percent ≤ 100);</item>
/// <item>next episode: the first aired, unwatched episode after the most recently watched one, else the first
///   aired, unwatched episode; null when caught up;</item>
/// <item>last watched at: the latest check-in of any episode of the series, specials included (it orders the list).</item>
/// </list>
/// </summary>
public sealed class ProgressStore(Db db)
{
    // Episode positions as one sortable number: season * 1,000,000 + number.
    const long Scale = 1_000_000;

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

    public async Task<IReadOnlyList<ProgressItem>> ForUserAsync(long userId, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            WITH watched AS (
                SELECT c.title_id, c.episode_id, max(c.watched_at) AS last_at, max(c.id) AS last_id
                FROM checkins c
                WHERE c.user_id = @userId AND c.episode_id IS NOT NULL
                GROUP BY c.title_id, c.episode_id
            ),
            series AS (
                SELECT title_id, max(last_at) AS last_watched_at FROM watched GROUP BY title_id
            ),
            eps AS (
                SELECT e.title_id, e.air_date,
                       CAST(e.season_number AS bigint) * {Scale} + e.number AS pos,
                       CASE WHEN w.episode_id IS NULL THEN 0 ELSE 1 END AS seen,
                       w.last_at, w.last_id
                FROM series s
                JOIN episodes e ON e.title_id = s.title_id AND e.season_number > 0
                LEFT JOIN watched w ON w.title_id = e.title_id AND w.episode_id = e.id
            ),
            frontier AS (
                SELECT title_id,
                       max(CASE WHEN air_date <= @today THEN pos END) AS aired_pos,
                       count(air_date) AS dated
                FROM eps GROUP BY title_id
            ),
            marked AS (
                SELECT x.title_id, x.pos, x.seen, x.last_at, x.last_id,
                       CASE WHEN x.seen = 1 THEN 1
                            WHEN x.air_date IS NOT NULL THEN CASE WHEN x.air_date <= @today THEN 1 ELSE 0 END
                            WHEN f.dated = 0 THEN 1
                            WHEN x.pos < f.aired_pos THEN 1
                            ELSE 0 END AS aired
                FROM eps x JOIN frontier f ON f.title_id = x.title_id
            ),
            last_seen AS (
                SELECT title_id, pos FROM (
                    SELECT title_id, pos, row_number() OVER (PARTITION BY title_id ORDER BY last_at DESC, last_id DESC) AS rn
                    FROM marked WHERE seen = 1
                ) ranked
                WHERE rn = 1
            ),
            summary AS (
                SELECT m.title_id, sum(m.seen) AS watched, sum(m.aired) AS aired,
                       COALESCE(min(CASE WHEN m.aired = 1 AND m.seen = 0 AND m.pos > COALESCE(l.pos, -1) THEN m.pos END),
                                min(CASE WHEN m.aired = 1 AND m.seen = 0 THEN m.pos END)) AS next_pos
                FROM marked m LEFT JOIN last_seen l ON l.title_id = m.title_id
                GROUP BY m.title_id
            )
            SELECT t.id AS title_id, t.title, t.year, s.last_watched_at,
                   COALESCE(su.watched, 0) AS watched, COALESCE(su.aired, 0) AS aired,
                   ne.id AS next_id, ne.season_number AS next_season, ne.number AS next_number, ne.title AS next_title,
                   ne.air_date AS next_air_date
            FROM series s
            JOIN titles t ON t.id = s.title_id
            LEFT JOIN summary su ON su.title_id = s.title_id
            LEFT JOIN episodes ne ON ne.title_id = s.title_id
                 AND ne.season_number = su.next_pos / {Scale} AND ne.number = su.next_pos % {Scale}
            ORDER BY s.last_watched_at DESC, t.id DESC
            """, new { userId, today }, cancellationToken: ct));
        return rows.Select(r => new ProgressItem(
                new TitleRef(r.TitleId, r.Title, "series", r.Year),
                (int)r.Watched, (int)r.Aired,
                r.Aired == 0 ? 0 : Math.Round(100.0 * r.Watched / r.Aired, 1),
                r.NextId is { } id ? new NextEpisode(id, r.NextSeason ?? 0, r.NextNumber ?? 0, r.NextTitle, r.NextAirDate) : null,
                r.LastWatchedAt))
            .ToList();
    }
}
