using System.Data.Common;
using System.Globalization;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Tracking;

public enum WatchlistSort { Added, Runtime, Expiring }

/// <summary>
/// The watchlist: one entry per user and title, listed with the title's platforms in the user's region (users.region)
/// and a warning when one of them stops within <see cref="ExpiryWarningDays"/> days. Always scoped to the owner in SQL.
/// </summary>
public sealed class WatchlistStore(Db db)
{
    public const int ExpiryWarningDays = 7;

    sealed record EntryRow
    {
        public long TitleId { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public int? Year { get; init; }
        public int? RuntimeMin { get; init; }
        public DateTime AddedAt { get; init; }
        public DateTime? WatchedAt { get; init; }
        public string? PreferenceSlug { get; init; }
        public string? PreferenceName { get; init; }
    }

    sealed record AvailabilityRow
    {
        public long TitleId { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string Monetization { get; init; } = "";
        public DateOnly? ExpiresOn { get; init; }
        public long Subscribed { get; init; }
    }

    /// <summary>One page in the chosen order; the cursor is the offset of the next page (watchlists are short).</summary>
    public async Task<WatchlistPage> ListAsync(long userId, WatchlistSort sort, DateOnly today, int offset, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var entries = await EntriesAsync(conn, null, userId, today, sort, null, offset, limit + 1, ct);
        var next = entries.Count > limit ? (offset + limit).ToString(CultureInfo.InvariantCulture) : null;
        return new WatchlistPage(entries.Take(limit).ToList(), next);
    }

    public async Task<WatchlistEntry?> GetAsync(long userId, long titleId, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await GetAsync(conn, null, userId, titleId, today, ct);
    }

    public async Task<WatchlistEntry?> GetAsync(DbConnection conn, DbTransaction? tx, long userId, long titleId, DateOnly today, CancellationToken ct) =>
        (await EntriesAsync(conn, tx, userId, today, WatchlistSort.Added, titleId, 0, 1, ct)).SingleOrDefault();

    async Task<IReadOnlyList<WatchlistEntry>> EntriesAsync(DbConnection conn, DbTransaction? tx, long userId, DateOnly today,
        WatchlistSort sort, long? titleId, int offset, int take, CancellationToken ct)
    {
        var order = sort switch
        {
            WatchlistSort.Runtime => "t.runtime_min ASC NULLS LAST, w.added_at DESC, w.title_id DESC",
            WatchlistSort.Expiring => "expires_next ASC NULLS LAST, w.added_at DESC, w.title_id DESC",
            _ => "w.added_at DESC, w.title_id DESC",
        };
        var rows = (await conn.QueryAsync<EntryRow>(new CommandDefinition($"""
            SELECT w.title_id, t.title, t.kind, t.year, t.runtime_min, w.added_at, w.watched_at,
                   pp.slug AS preference_slug, pp.name AS preference_name,
                   (SELECT min(a.expires_on) FROM availability a
                    WHERE a.title_id = w.title_id AND a.region = u.region AND a.expires_on >= @today) AS expires_next
            FROM watchlist w
            JOIN users u ON u.id = w.user_id
            JOIN titles t ON t.id = w.title_id
            LEFT JOIN platforms pp ON pp.id = w.platform_id
            WHERE w.user_id = @userId{(titleId is null ? "" : " AND w.title_id = @titleId")}
            ORDER BY {order}
            LIMIT @take OFFSET @offset
            """, new { userId, titleId, today, take, offset }, tx, cancellationToken: ct))).ToList();
        if (rows.Count == 0) return [];

        // The platforms of this page's titles in one query: rows still running today, in the user's region.
        var ids = rows.Select(r => r.TitleId).ToArray();
        var availability = (await conn.QueryAsync<AvailabilityRow>(new CommandDefinition($"""
            SELECT a.title_id, p.slug, p.name, a.monetization, a.expires_on,
                   CASE WHEN up.platform_id IS NULL THEN 0 ELSE 1 END AS subscribed
            FROM availability a
            JOIN users u ON u.id = @userId AND u.region = a.region
            JOIN platforms p ON p.id = a.platform_id
            LEFT JOIN user_platforms up ON up.user_id = @userId AND up.platform_id = a.platform_id
            WHERE {db.Pick("a.title_id IN @ids", "a.title_id = ANY(@ids)")} AND (a.expires_on IS NULL OR a.expires_on >= @today)
            ORDER BY a.title_id, p.name, a.monetization
            """, new { userId, ids, today }, tx, cancellationToken: ct))).ToLookup(a => a.TitleId);

        return rows.Select(r =>
        {
            var platforms = availability[r.TitleId]
                .Select(a => new WatchlistPlatform(a.Slug, a.Name, a.Monetization, a.ExpiresOn, a.Subscribed == 1)).ToList();
            return new WatchlistEntry(
                new WatchlistTitle(r.TitleId, r.Title, r.Kind, r.Year, r.RuntimeMin), r.AddedAt,
                r.PreferenceSlug is { } slug ? new PlatformRef(slug, r.PreferenceName ?? slug) : null,
                r.WatchedAt, platforms, Warning(platforms, today));
        }).ToList();
    }

    static ExpiryWarning? Warning(IReadOnlyList<WatchlistPlatform> platforms, DateOnly today)
    {
        var soonest = platforms.Where(p => p.ExpiresOn is { } e && e >= today && e.DayNumber - today.DayNumber <= ExpiryWarningDays)
            .OrderBy(p => p.ExpiresOn).ThenByDescending(p => p.Subscribed).FirstOrDefault();
        if (soonest is null) return null;
        var on = soonest.ExpiresOn!.Value;
        var days = on.DayNumber - today.DayNumber;
        var when = days switch { 0 => "today", 1 => "tomorrow", _ => $"in {days} days" };
        return new ExpiryWarning(soonest.Slug, soonest.Name, on, days,
            $"Leaves {soonest.Name} {when} ({on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}).");
    }

    /// <summary>Adds the title; false when it was already on the list (nothing changes then).</summary>
    public async Task<bool> AddAsync(long userId, long titleId, long? platformId, DateTime now, CancellationToken ct) =>
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync("""
            INSERT INTO watchlist (user_id, title_id, platform_id, added_at) VALUES (@userId, @titleId, @platformId, @now)
            ON CONFLICT (user_id, title_id) DO NOTHING
            """, new { userId, titleId, platformId, now }, tx), ct) == 1;

    /// <summary>Adds an entry inside a caller's transaction (imports keep the file's dates); false when the title was already listed.</summary>
    public static async Task<bool> InsertAsync(DbConnection conn, DbTransaction tx, long userId, long titleId, long? platformId, DateTime addedAt, DateTime? watchedAt) =>
        await conn.ExecuteAsync("""
            INSERT INTO watchlist (user_id, title_id, platform_id, added_at, watched_at) VALUES (@userId, @titleId, @platformId, @addedAt, @watchedAt)
            ON CONFLICT (user_id, title_id) DO NOTHING
            """, new { userId, titleId, platformId, addedAt, watchedAt }, tx) == 1;

    public async Task<bool> RemoveAsync(long userId, long titleId, CancellationToken ct) =>
        await db.WriteAsync((conn, tx) =>
            conn.ExecuteAsync("DELETE FROM watchlist WHERE user_id = @userId AND title_id = @titleId", new { userId, titleId }, tx), ct) > 0;

    /// <summary>Marks the entry watched unless it already is; false when it was watched already (or is gone).</summary>
    public static async Task<bool> MarkWatchedAsync(DbConnection conn, DbTransaction tx, long userId, long titleId, DateTime watchedAt) =>
        await conn.ExecuteAsync(
            "UPDATE watchlist SET watched_at = @watchedAt WHERE user_id = @userId AND title_id = @titleId AND watched_at IS NULL",
            new { watchedAt, userId, titleId }, tx) == 1;
}
