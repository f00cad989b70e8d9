using Dapper;
using Watchlog.Data;

namespace Watchlog.Reports;

/// <summary>
/// A user's year in numbers. The user's time zone decides which day, month and year a check-in belongs to. Both engines
/// read the same rows (one query over the year's check-ins, with a day's margin either side in UTC) and the conversion
/// to local time happens here in C#: SQLite has no time-zone database, and one code path keeps the answers identical.
/// </summary>
public sealed class StatsStore(Db db)
{
    public const int TopSeriesCount = 10;

    sealed record CheckInRow
    {
        public long TitleId { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public long? EpisodeId { get; init; }
        public DateTime WatchedAt { get; init; }
        public long Minutes { get; init; }
        public string? PlatformSlug { get; init; }
        public string? PlatformName { get; init; }
    }

    sealed record GenreRow
    {
        public long TitleId { get; init; }
        public string Name { get; init; } = "";
    }

    public async Task<YearStats> ForYearAsync(long userId, TimeZoneInfo zone, int year, CancellationToken ct)
    {
        // No zone is more than 14 hours from UTC, so a day either side of the UTC year holds every local check-in of it.
        var from = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(-1);
        var to = new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(1);
        await using var conn = await db.OpenAsync(ct);
        var candidates = await conn.QueryAsync<CheckInRow>(new CommandDefinition("""
            SELECT c.title_id, t.title, t.kind, c.episode_id, c.watched_at,
                   COALESCE(e.runtime_min, t.runtime_min, 0) AS minutes,
                   p.slug AS platform_slug, p.name AS platform_name
            FROM checkins c
            JOIN titles t ON t.id = c.title_id
            LEFT JOIN episodes e ON e.id = c.episode_id
            LEFT JOIN platforms p ON p.id = c.platform_id
            WHERE c.user_id = @userId AND c.watched_at >= @from AND c.watched_at < @to
            """, new { userId, from, to }, cancellationToken: ct));
        var rows = candidates
            .Select(r => (Row: r, Local: TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(r.WatchedAt, DateTimeKind.Utc), zone)))
            .Where(r => r.Local.Year == year)
            .ToList();

        // The genres of the titles watched in the window (a title counts once per genre it has).
        var genres = (await conn.QueryAsync<GenreRow>(new CommandDefinition("""
            SELECT tg.title_id, g.name
            FROM title_genres tg
            JOIN genres g ON g.id = tg.genre_id
            WHERE tg.title_id IN (SELECT DISTINCT c.title_id FROM checkins c
                                  WHERE c.user_id = @userId AND c.watched_at >= @from AND c.watched_at < @to)
            """, new { userId, from, to }, cancellationToken: ct))).ToLookup(g => g.TitleId, g => g.Name);

        var totals = new StatsTotals(
            rows.Select(r => r.Row.TitleId).Distinct().Count(),
            rows.Count(r => r.Row.EpisodeId is null),
            rows.Count(r => r.Row.EpisodeId is not null),
            rows.Sum(r => r.Row.Minutes));

        var months = Enumerable.Range(1, 12).Select(m =>
        {
            var inMonth = rows.Where(r => r.Local.Month == m).ToList();
            return new MonthStats(m, inMonth.Sum(r => r.Row.Minutes), inMonth.Count);
        }).ToList();

        var byGenre = rows
            .SelectMany(r => genres[r.Row.TitleId].Select(g => (Genre: g, r.Row.Minutes)))
            .GroupBy(g => g.Genre, StringComparer.Ordinal)
            .Select(g => new GenreStats(g.Key, g.Sum(x => x.Minutes), g.Count()))
            .OrderByDescending(g => g.Minutes).ThenByDescending(g => g.Checkins).ThenBy(g => g.Genre, StringComparer.Ordinal)
            .ToList();

        var byPlatform = rows.Where(r => r.Row.PlatformSlug is not null)
            .GroupBy(r => r.Row.PlatformSlug!, StringComparer.Ordinal)
            .Select(g => new PlatformStats(g.Key, g.First().Row.PlatformName ?? g.Key, g.Sum(r => r.Row.Minutes), g.Count()))
            .OrderByDescending(p => p.Minutes).ThenByDescending(p => p.Checkins).ThenBy(p => p.Platform, StringComparer.Ordinal)
            .ToList();

        var topSeries = rows.Where(r => r.Row.EpisodeId is not null)
            .GroupBy(r => r.Row.TitleId)
            .Select(g => new SeriesStats(g.Key, g.First().Row.Title, g.Count(), g.Sum(r => r.Row.Minutes)))
            .OrderByDescending(s => s.Episodes).ThenByDescending(s => s.Minutes).ThenBy(s => s.Title, StringComparer.Ordinal).ThenBy(s => s.TitleId)
            .Take(TopSeriesCount)
            .ToList();

        return new YearStats(year, totals, months, byGenre, byPlatform, topSeries,
            LongestStreak(rows.Select(r => DateOnly.FromDateTime(r.Local))));
    }

    /// <summary>The longest run of consecutive days among <paramref name="days"/>; the earliest such run on a tie.</summary>
    public static Streak LongestStreak(IEnumerable<DateOnly> days)
    {
        var best = new Streak(0, null, null);
        DateOnly? start = null, previous = null;
        foreach (var day in days.Distinct().Order())
        {
            if (previous is not { } p || day.DayNumber != p.DayNumber + 1) start = day;
            previous = day;
            var length = day.DayNumber - start!.Value.DayNumber + 1;
            if (length > best.Days) best = new Streak(length, start, day);
        }
        return best;
    }
}
