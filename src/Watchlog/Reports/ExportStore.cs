using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Reports;

/// <summary>The title an exported row is about, with the ids a re-import matches it by; every row is one.</summary>
public record ExportTitle
{
    public string Title { get; init; } = "";
    public string Kind { get; init; } = "";
    public int? Year { get; init; }
    public string? ImdbId { get; init; }
    public long? TmdbId { get; init; }
    public long? TvdbId { get; init; }
}

public sealed record ExportProfile
{
    public string Email { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Region { get; init; } = "";
}

public sealed record ExportPlatform
{
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
}

public sealed record ExportCheckIn : ExportTitle
{
    public DateTime WatchedAt { get; init; }
    public long? EpisodeId { get; init; }
    public int? Season { get; init; }
    public int? Number { get; init; }
    public string? EpisodeTitle { get; init; }
    public string? EpisodeImdbId { get; init; }
    public long? EpisodeTmdbId { get; init; }
    public long? EpisodeTvdbId { get; init; }
    public string? Platform { get; init; }
    public int? Rating { get; init; }
    public string? Note { get; init; }
}

public sealed record ExportRating : ExportTitle
{
    public int Rating { get; init; }
    public DateTime RatedAt { get; init; }
}

public sealed record ExportWatchlistEntry : ExportTitle
{
    public DateTime AddedAt { get; init; }
    public string? PlatformPreference { get; init; }
    public DateTime? WatchedAt { get; init; }
}

/// <summary>
/// The rows of a user's export, scoped to the owner in SQL. The lists are read unbuffered, one row at a time, so an
/// export of any size streams out in constant memory; read them one after another on the same connection.
/// </summary>
public sealed class ExportStore(Db db)
{
    public ValueTask<DbConnection> OpenAsync(CancellationToken ct) => db.OpenAsync(ct);

    public static Task<ExportProfile?> ProfileAsync(DbConnection conn, long userId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<ExportProfile>(new CommandDefinition(
            "SELECT email, first_name, last_name, time_zone, region FROM users WHERE id = @userId", new { userId }, cancellationToken: ct));

    public static async Task<IReadOnlyList<ExportPlatform>> PlatformsAsync(DbConnection conn, long userId, CancellationToken ct) =>
        (await conn.QueryAsync<ExportPlatform>(new CommandDefinition("""
            SELECT p.slug, p.name FROM user_platforms up JOIN platforms p ON p.id = up.platform_id
            WHERE up.user_id = @userId ORDER BY p.slug
            """, new { userId }, cancellationToken: ct))).ToList();

    /// <summary>Oldest first, as they happened.</summary>
    public static IAsyncEnumerable<ExportCheckIn> CheckInsAsync(DbConnection conn, long userId) =>
        conn.QueryUnbufferedAsync<ExportCheckIn>("""
            SELECT c.watched_at, t.title, t.kind, t.year, t.imdb_id, t.tmdb_id, t.tvdb_id,
                   c.episode_id, e.season_number AS season, e.number, e.title AS episode_title,
                   e.imdb_id AS episode_imdb_id, e.tmdb_id AS episode_tmdb_id, e.tvdb_id AS episode_tvdb_id,
                   p.slug AS platform, c.rating, c.note
            FROM checkins c
            JOIN titles t ON t.id = c.title_id
            LEFT JOIN episodes e ON e.id = c.episode_id
            LEFT JOIN platforms p ON p.id = c.platform_id
            WHERE c.user_id = @userId
            ORDER BY c.watched_at, c.id
            """, new { userId });

    public static IAsyncEnumerable<ExportRating> RatingsAsync(DbConnection conn, long userId) =>
        conn.QueryUnbufferedAsync<ExportRating>("""
            SELECT t.title, t.kind, t.year, t.imdb_id, t.tmdb_id, t.tvdb_id, r.rating, r.rated_at
            FROM ratings r
            JOIN titles t ON t.id = r.title_id
            WHERE r.user_id = @userId
            ORDER BY r.rated_at, r.title_id
            """, new { userId });

    public static IAsyncEnumerable<ExportWatchlistEntry> WatchlistAsync(DbConnection conn, long userId) =>
        conn.QueryUnbufferedAsync<ExportWatchlistEntry>("""
            SELECT t.title, t.kind, t.year, t.imdb_id, t.tmdb_id, t.tvdb_id, w.added_at, p.slug AS platform_preference, w.watched_at
            FROM watchlist w
            JOIN titles t ON t.id = w.title_id
            LEFT JOIN platforms p ON p.id = w.platform_id
            WHERE w.user_id = @userId
            ORDER BY w.added_at, w.title_id
            """, new { userId });
}
