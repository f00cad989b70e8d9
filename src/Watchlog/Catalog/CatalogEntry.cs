using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchlog.Catalog;

/// <summary>
/// One title as every catalog import hands it to <see cref="CatalogWriter"/>. It is also Watchlog's own
/// <c>jsonl</c> import format, one object per line (docs/catalog-import.md); only id, kind and title are required.
/// </summary>
public sealed class CatalogEntry
{
    [JsonConverter(typeof(StringOrNumberConverter))] public string? Id { get; set; }
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? OriginalTitle { get; set; }
    public List<AliasEntry>? Aliases { get; set; }
    public int? Year { get; set; }
    public int? RuntimeMin { get; set; }
    public List<string>? Genres { get; set; }
    public string? Network { get; set; }
    public List<string>? Regions { get; set; }
    public List<PlatformEntry>? Platforms { get; set; }
    public double? Popularity { get; set; }
    public string? Overview { get; set; }
    public List<PersonEntry>? People { get; set; }
    public ExternalIds? ExternalIds { get; set; }
    public string? Poster { get; set; }
    public string? Backdrop { get; set; }
    public string? Status { get; set; }
    public string? Certification { get; set; }
    public DateOnly? FirstAirDate { get; set; }
    public DateOnly? LastAirDate { get; set; }
    public double? CriticRating { get; set; }
    public int? CriticVotes { get; set; }
    public double? AudienceRating { get; set; }
    public int? AudienceVotes { get; set; }
    public List<SeasonEntry>? Seasons { get; set; }
}

public sealed class AliasEntry
{
    public string? Title { get; set; }
    public string? Region { get; set; }
    public string? Language { get; set; }
    /// <summary>What kind of alternate title: original, working, dvd, festival, tv… (free text).</summary>
    public string? Kind { get; set; }
}

public sealed class PlatformEntry
{
    public string? Name { get; set; }
    public string? Region { get; set; }
    /// <summary>subscription (default), free, ads, rent, buy or addon.</summary>
    public string? Monetization { get; set; }
    public DateOnly? AvailableFrom { get; set; }
    public DateOnly? ExpiresOn { get; set; }
}

public sealed class PersonEntry
{
    public string? Name { get; set; }
    /// <summary>actor, director, writer, creator, producer, or anything else (kept as crew with that job).</summary>
    public string? Role { get; set; }
    public string? Character { get; set; }
    /// <summary>IMDb nconst (nm…), when the source knows it: people with one are matched by it, not by name.</summary>
    public string? ImdbId { get; set; }
}

public sealed class ExternalIds
{
    [JsonConverter(typeof(StringOrNumberConverter))] public string? Imdb { get; set; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? Tmdb { get; set; }
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? Tvdb { get; set; }
}

public sealed class SeasonEntry
{
    public int? Number { get; set; }
    public string? Name { get; set; }
    public string? Overview { get; set; }
    public DateOnly? AirDate { get; set; }
    public List<EpisodeEntry>? Episodes { get; set; }
}

public sealed class EpisodeEntry
{
    public int? Number { get; set; }
    public int? AbsoluteNumber { get; set; }
    public string? Title { get; set; }
    public string? Overview { get; set; }
    public DateOnly? AirDate { get; set; }
    public int? RuntimeMin { get; set; }
    [JsonConverter(typeof(StringOrNumberConverter))] public string? ImdbId { get; set; }
}

/// <summary>Ids arrive as 17 or "17" depending on who wrote the file; both read as the string "17".</summary>
public sealed class StringOrNumberConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : reader.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException("must be a string or a number"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
