using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchlog.History;

// Wire records of history imports (snake_case on the wire).

public sealed record SkipReason(string Reason, int Count);

public sealed record ImportView(long Id, string Format, string Source, string Status, string? FileName, string? Profile, string? Error,
    int RowsRead, int Matched, int NeedsReview, int Skipped, int Added, int Duplicates, IReadOnlyList<SkipReason> SkipReasons,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt);

public sealed record ImportList(IReadOnlyList<ImportView> Items, string? NextCursor);

/// <summary>A row's fields as the file gave them (watched_at in UTC; date_only when the file had only a day).</summary>
public sealed record ParsedFields(string Action, string? Kind, string? Title, int? Year, int? Season, int? Episode, string? EpisodeTitle,
    DateTime? WatchedAt, bool DateOnly, int? Rating, string? Platform);

/// <summary>What the row matched: the title and episode with a confidence (0–1), or why not.</summary>
public sealed record RowMatch(long? TitleId, long? EpisodeId, double? Confidence, string? Reason);

public sealed record ImportRowView(int Row, string? File, int Line, string Status, string? Result, ParsedFields Parsed, RowMatch Match, long? CheckinId);

public sealed record ImportRowPage(IReadOnlyList<ImportRowView> Items, string? NextCursor);

public sealed record CandidateView(long TitleId, long? EpisodeId, string Title, string Kind, int? Year, int? Season, int? Episode, string? EpisodeTitle);

public sealed record ReviewItem(int Row, string? File, int Line, ParsedFields Parsed, double? Confidence, string? Reason, IReadOnlyList<CandidateView> Candidates);

public sealed record ReviewPage(IReadOnlyList<ReviewItem> Items, string? NextCursor);

/// <summary><c>{"title_id": 5, "episode_id": 9}</c> picks (a candidate or any catalog title); <c>{"skip": true}</c> skips the row.</summary>
public sealed record ReviewDecision
{
    public long? TitleId { get; init; }
    public long? EpisodeId { get; init; }
    public bool? Skip { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ImportView))]
[JsonSerializable(typeof(ImportList))]
[JsonSerializable(typeof(ImportRowPage))]
[JsonSerializable(typeof(ReviewPage))]
[JsonSerializable(typeof(ImportRowView))]
[JsonSerializable(typeof(ReviewDecision))]
[JsonSerializable(typeof(Watchlog.Webhooks.ScrobbleAnswer))]
[JsonSerializable(typeof(List<Candidate>))]
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
