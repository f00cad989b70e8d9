using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>One rating per user and title, always scoped to the owner in SQL.</summary>
public sealed class RatingStore(Db db)
{
    sealed record Row
    {
        public long TitleId { get; init; }
        public int Rating { get; init; }
        public DateTime RatedAt { get; init; }
    }

    public async Task<RatingView?> GetAsync(long userId, long titleId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT title_id, rating, rated_at FROM ratings WHERE user_id = @userId AND title_id = @titleId",
            new { userId, titleId }, cancellationToken: ct));
        return row is null ? null : new RatingView(row.TitleId, row.Rating, row.RatedAt);
    }

    public async Task<RatingView> PutAsync(long userId, long titleId, int rating, DateTime now, CancellationToken ct)
    {
        await db.WriteAsync((conn, tx) => SetAsync(conn, tx, userId, titleId, rating, now), ct);
        return new RatingView(titleId, rating, now);
    }

    /// <summary>Sets (or replaces) the user's rating of a title inside a caller's transaction.</summary>
    public static Task SetAsync(DbConnection conn, DbTransaction tx, long userId, long titleId, int rating, DateTime now) =>
        conn.ExecuteAsync("""
            INSERT INTO ratings (user_id, title_id, rating, rated_at) VALUES (@userId, @titleId, @rating, @now)
            ON CONFLICT (user_id, title_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at
            """, new { userId, titleId, rating, now }, tx);

    /// <summary>False when the user has no rating for the title.</summary>
    public async Task<bool> DeleteAsync(long userId, long titleId, CancellationToken ct) =>
        await db.WriteAsync((conn, tx) =>
            conn.ExecuteAsync("DELETE FROM ratings WHERE user_id = @userId AND title_id = @titleId", new { userId, titleId }, tx), ct) > 0;
}
