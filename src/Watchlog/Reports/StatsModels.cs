using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchlog.Reports;

// Wire records of GET /api/me/stats (snake_case on the wire).

public sealed record StatsTotals(int Titles, int Movies, int Episodes, long Minutes);

public sealed record MonthStats(int Month, long Minutes, int Checkins);

public sealed record GenreStats(string Genre, long Minutes, int Checkins);

public sealed record PlatformStats(string Platform, string Name, long Minutes, int Checkins);

public sealed record SeriesStats(long TitleId, string Title, int Episodes, long Minutes);

/// <summary>The longest run of consecutive local days with a check-in; <c>from</c>/<c>to</c> are null when there is none.</summary>
public sealed record Streak(int Days, DateOnly? From, DateOnly? To);

public sealed record YearStats(int Year, StatsTotals Totals, IReadOnlyList<MonthStats> Months, IReadOnlyList<GenreStats> Genres,
    IReadOnlyList<PlatformStats> Platforms, IReadOnlyList<SeriesStats> TopSeries, Streak LongestStreak);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(YearStats))]
internal sealed partial class ReportsApiJsonContext : JsonSerializerContext;
