using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchlog.Tracking;

// Wire records of the viewing log (snake_case on the wire). Request fields are nullable, or JsonElement where the
// handler checks the JSON type itself, so a missing or mistyped field is a 400 naming it rather than a binding failure.

public sealed record TitleRef(long Id, string Title, string Kind, int? Year);

public sealed record EpisodeRef(long Id, int Season, int Number, string? Title);

public sealed record PlatformRef(string Slug, string Name);

/// <summary>One check-in: what was watched, when, where, and how the user liked it.</summary>
public sealed record CheckInView(long Id, DateTime WatchedAt, TitleRef Title, EpisodeRef? Episode, PlatformRef? Platform, int? Rating, string? Note);

/// <summary>The answer to a POST that creates several check-ins.</summary>
public sealed record CheckInItems(IReadOnlyList<CheckInView> Items);

public sealed record CheckInPage(IReadOnlyList<CheckInView> Items, string? NextCursor);

public sealed record CheckInRequest
{
    public long? TitleId { get; init; }
    public long? EpisodeId { get; init; }
    public int? Season { get; init; }
    public int? Episode { get; init; }
    /// <summary><c>{season, episode}</c>: every aired episode up to that one not yet watched.</summary>
    public JsonElement UpTo { get; init; }
    public string? WatchedAt { get; init; }
    public string? Platform { get; init; }
    public JsonElement Rating { get; init; }
    public string? Note { get; init; }
}

/// <summary>One episode (or, with no episode, the title itself) the user has checked in: how often and when last.</summary>
public sealed record WatchedEpisode
{
    public long? EpisodeId { get; init; }
    public int? SeasonNumber { get; init; }
    public long Times { get; init; }
    public DateTime LastWatchedAt { get; init; }
}

public sealed record NextEpisode(long Id, int Season, int Number, string? Title, DateOnly? AirDate);

public sealed record ProgressItem(TitleRef Title, int Watched, int Aired, double Percent, NextEpisode? NextEpisode, DateTime LastWatchedAt);

public sealed record ProgressList(IReadOnlyList<ProgressItem> Items, string? NextCursor);

public sealed record RatingRequest
{
    public JsonElement Rating { get; init; }
}

public sealed record RatingView(long TitleId, int Rating, DateTime RatedAt);

public sealed record WatchlistRequest
{
    public long? TitleId { get; init; }
    public string? PlatformPreference { get; init; }
}

/// <summary>Optional details of the check-in <c>PATCH /api/watchlist/{titleId}/watched</c> records.</summary>
public sealed record MarkWatchedRequest
{
    public string? WatchedAt { get; init; }
    public string? Platform { get; init; }
    public JsonElement Rating { get; init; }
    public string? Note { get; init; }
}

public sealed record WatchlistTitle(long Id, string Title, string Kind, int? Year, int? RuntimeMin);

public sealed record WatchlistPlatform(string Slug, string Name, string Monetization, DateOnly? ExpiresOn, bool Subscribed);

/// <summary>An availability row in the user's region that ends within <see cref="WatchlistStore.ExpiryWarningDays"/> days.</summary>
public sealed record ExpiryWarning(string Platform, string PlatformName, DateOnly ExpiresOn, int DaysLeft, string Message);

public sealed record WatchlistEntry(WatchlistTitle Title, DateTime AddedAt, PlatformRef? PlatformPreference, DateTime? WatchedAt,
    IReadOnlyList<WatchlistPlatform> Platforms, ExpiryWarning? Warning);

public sealed record WatchlistPage(IReadOnlyList<WatchlistEntry> Items, string? NextCursor);

public sealed record MarkedWatched(WatchlistEntry Entry, CheckInView? Checkin);

public sealed record PlatformsRequest
{
    public string? Region { get; init; }
    public JsonElement Platforms { get; init; }
}

public sealed record MyPlatforms(string Region, IReadOnlyList<PlatformRef> Platforms);

public sealed record PreferencesRequest
{
    public JsonElement Moods { get; init; }
    public JsonElement AvoidGenres { get; init; }
    public JsonElement Notifications { get; init; }
}

public sealed record NotificationSettings(string? Email, string? TelegramChatId, string? DigestDay, int? DigestHour);

public sealed record Preferences(IReadOnlyList<string> Moods, IReadOnlyList<string> AvoidGenres, NotificationSettings Notifications);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CheckInRequest))]
[JsonSerializable(typeof(CheckInItems))]
[JsonSerializable(typeof(CheckInPage))]
[JsonSerializable(typeof(ProgressList))]
[JsonSerializable(typeof(RatingRequest))]
[JsonSerializable(typeof(RatingView))]
[JsonSerializable(typeof(WatchlistRequest))]
[JsonSerializable(typeof(MarkWatchedRequest))]
[JsonSerializable(typeof(WatchlistEntry))]
[JsonSerializable(typeof(WatchlistPage))]
[JsonSerializable(typeof(MarkedWatched))]
[JsonSerializable(typeof(PlatformsRequest))]
[JsonSerializable(typeof(MyPlatforms))]
[JsonSerializable(typeof(PreferencesRequest))]
[JsonSerializable(typeof(Preferences))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class TrackingApiJsonContext : JsonSerializerContext;
