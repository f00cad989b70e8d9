using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Watchlog.Search;

/// <summary>
/// PostgreSQL: rank values that cut <c>search_docs</c> into popularity buckets (by default the 5,000 most popular
/// titles and the rest). <see cref="SearchStore"/> reads a tier bucket by bucket, so a misjudged prefix costs at most
/// one bucket: with one <c>ORDER BY rank LIMIT k</c> over the whole table the planner walked all 100k rows for a rare
/// prefix it took for a common one (180 ms).
/// The bounds are only a partition: stale ones (titles added since) cost a little speed, never a result. They are
/// read again after <see cref="MaxAge"/>; one caller refreshes while the others keep the old ones.
/// </summary>
public sealed class RankBuckets(IReadOnlyList<int> positions, TimeProvider clock)
{
    public static readonly int[] DefaultPositions = [5_000];
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan GrowingMaxAge = TimeSpan.FromSeconds(30);

    long[]? _bounds;
    long _readAt;
    int _refreshing;

    /// <summary>Positions from configuration (<c>Watchlog:Search:RankBuckets</c>, e.g. "5000" or "5000,100000"; "none" for one bucket).</summary>
    public static int[] Parse(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting)) return DefaultPositions;
        if (setting.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        var positions = setting.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new InvalidOperationException($"Watchlog:Search:RankBuckets: '{p}' is not a positive whole number."))
            .ToArray();
        if (!positions.SequenceEqual(positions.Order().Distinct()))
            throw new InvalidOperationException("Watchlog:Search:RankBuckets: the positions must increase.");
        return positions;
    }

    /// <summary>The rank at each position that exists, ascending (empty for a catalog smaller than the first bucket).</summary>
    public async ValueTask<long[]> BoundsAsync(DbConnection conn, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        var current = Volatile.Read(ref _bounds);
        // A catalog still smaller than the last position is probably being filled: look again sooner.
        var maxAge = current is not null && current.Length < positions.Count ? GrowingMaxAge : MaxAge;
        var fresh = current is not null && clock.GetElapsedTime(Interlocked.Read(ref _readAt), now) < maxAge;
        if (fresh || positions.Count == 0) return current ?? [];
        if (current is not null && Interlocked.Exchange(ref _refreshing, 1) == 1) return current;
        try
        {
            var bounds = new List<long>(positions.Count);
            foreach (var position in positions)
            {
                var rank = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT rank FROM search_docs ORDER BY rank OFFSET @position LIMIT 1", new { position }, cancellationToken: ct));
                if (rank is null) break;
                bounds.Add(rank.Value);
            }
            var read = bounds.ToArray();
            Volatile.Write(ref _bounds, read);
            Interlocked.Exchange(ref _readAt, now);
            return read;
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }
}
