using System.Text;
using System.Text.Json;
using Watchlog.Catalog;

namespace Watchlog.Imports.Catalog.Imdb;

/// <summary>How a title's rows from title.basics, title.ratings, title.akas and title.principals become a <see cref="CatalogEntry"/>.</summary>
static class ImdbEntry
{
    /// <summary>The catalog kind of an IMDb titleType; null for types that are not titles here (episodes come in their own pass).</summary>
    public static string? Kind(string? titleType) => titleType switch
    {
        "movie" or "tvMovie" => "movie",
        "tvSeries" or "tvMiniSeries" => "series",
        _ => null,
    };

    /// <summary>Why a title.basics row is not imported as a title, or null.</summary>
    public static string? SkipReason(BasicsRow row) =>
        Kind(row.TitleType) is null ? $"titleType {row.TitleType ?? "(none)"} is not imported"
        : row.IsAdult ? "adult titles are not imported"
        : null;

    public static CatalogEntry From(BasicsRow title, RatingRow? rating, IEnumerable<AkaRow> akas, IEnumerable<PrincipalRow> principals)
    {
        var votes = rating?.NumVotes;
        var entry = new CatalogEntry
        {
            Id = title.Tconst,
            Kind = Kind(title.TitleType),
            Title = title.PrimaryTitle,
            OriginalTitle = title.OriginalTitle != title.PrimaryTitle ? title.OriginalTitle : null,
            Year = title.StartYear,
            RuntimeMin = Runtime(title.RuntimeMinutes),
            Genres = Genres(title.Genres),
            ExternalIds = new ExternalIds { Imdb = title.Tconst },
            // IMDb rates 1–10; the catalog keeps ratings on a 0–100 scale (EntryRules), so 7.3 is stored as 73.
            AudienceRating = rating?.AverageRating is { } average ? Math.Round(average * 10, 1) : null,
            AudienceVotes = votes,
            // IMDb publishes no popularity; the vote count is the best public sign of how well known a title is.
            // Its log keeps search tie-breaks favouring known titles without a few blockbusters outweighing the rest.
            Popularity = votes is { } n and >= 0 ? Math.Log10(n + 1.0) : null,
        };

        var aliases = akas.Select(a => Alias(a, title.PrimaryTitle)).OfType<AliasEntry>().ToList();
        if (aliases.Count > 0) entry.Aliases = aliases;
        var people = principals.Where(p => p.Nconst is not null).Select(Person).ToList();
        if (people.Count > 0) entry.People = people;
        return entry;
    }

    /// <summary>Runtimes the catalog can't hold (IMDb lists a few art films of several days) are left out rather than losing the title.</summary>
    public static int? Runtime(int? minutes) => minutes is >= 0 and <= EntryRules.MaxRuntimeMin ? minutes : null;

    public static List<string>? Genres(string? genres) => genres?
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(g => g == "Sci-Fi" ? "Science Fiction" : g)
        .ToList();

    /// <summary>An aka as an alias; null for an empty one, and for the primary title itself without a region.</summary>
    public static AliasEntry? Alias(AkaRow aka, string? primaryTitle)
    {
        if (string.IsNullOrWhiteSpace(aka.Title)) return null;
        // IMDb also lists regions that are no country today (XWW for worldwide, SUHH for the Soviet Union, …):
        // those keep the alias without a region.
        var region = aka.Region is { Length: 2 } r && char.IsAsciiLetter(r[0]) && char.IsAsciiLetter(r[1]) ? r : null;
        if (region is null && aka.Title == primaryTitle) return null;
        return new AliasEntry { Title = aka.Title, Region = region, Language = aka.Language, Kind = aka.Types };
    }

    /// <summary>
    /// A principal as a credit known by IMDb id only: it links to the person name.basics stored. The category is the role
    /// as IMDb spells it; EntryRules.Role maps actress and self to actor, and keeps categories it doesn't know
    /// (composer, editor, …) as crew with the category as the job.
    /// </summary>
    static PersonEntry Person(PrincipalRow p) => new() { ImdbId = p.Nconst, Role = p.Category, Character = Character(p.Characters) };

    /// <summary>The first name in IMDb's characters field, a JSON array such as <c>["Walter White"]</c>.</summary>
    public static string? Character(string? characters)
    {
        if (string.IsNullOrWhiteSpace(characters)) return null;
        try
        {
            var json = new Utf8JsonReader(Encoding.UTF8.GetBytes(characters));
            if (json.Read() && json.TokenType == JsonTokenType.StartArray && json.Read() && json.TokenType == JsonTokenType.String)
                return json.GetString();
            return null;
        }
        catch (JsonException)
        {
            // Not valid JSON after all: the text between the brackets is still the best guess.
            return characters.Trim().TrimStart('[').TrimEnd(']').Trim().Trim('"');
        }
    }
}
