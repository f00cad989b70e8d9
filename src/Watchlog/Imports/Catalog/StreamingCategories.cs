namespace Watchlog.Imports.Catalog;

/// <summary>
/// The streaming catalogs' <c>listed_in</c> categories (Netflix, Prime Video, Disney+, Hulu) as our genres.
/// A category that names a genre maps to it; one that names what a title is about (Animals &amp; Nature, Coming of
/// Age, Superhero, …) is kept as it is; one that only sorts the platform's shelves (International Movies, TV Shows,
/// Classics, Special Interest, Teen, …) is dropped.
/// </summary>
public static class StreamingCategories
{
    // Prime Video writes this one category with commas inside it.
    const string ArtsEntertainmentCulture = "Arts, Entertainment, and Culture";

    static readonly Dictionary<string, string[]> Genres = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Action"] = ["Action"],
        ["Action & Adventure"] = ["Action", "Adventure"],
        ["Action-Adventure"] = ["Action", "Adventure"],
        ["TV Action & Adventure"] = ["Action", "Adventure"],
        ["Adult Animation"] = ["Animation"],
        ["Anime"] = ["Animation"],
        ["Anime Features"] = ["Animation"],
        ["Anime Series"] = ["Animation"],
        ["Cartoons"] = ["Animation"],
        ["Biographical"] = ["Biography"],
        ["Comedies"] = ["Comedy"],
        ["TV Comedies"] = ["Comedy"],
        ["Stand-Up Comedy"] = ["Comedy"],
        ["Stand Up"] = ["Comedy"],
        ["Stand-Up Comedy & Talk Shows"] = ["Comedy", "Talk Show"],
        ["Sketch Comedy"] = ["Comedy"],
        ["Sitcom"] = ["Comedy"],
        ["Parody"] = ["Comedy"],
        ["Romantic Comedy"] = ["Romance", "Comedy"],
        ["Crime TV Shows"] = ["Crime"],
        ["Police/Cop"] = ["Crime"],
        ["Documentaries"] = ["Documentary"],
        ["Docuseries"] = ["Documentary"],
        ["Science & Nature TV"] = ["Documentary"],
        ["Science & Technology"] = ["Documentary"],
        ["Dramas"] = ["Drama"],
        ["TV Dramas"] = ["Drama"],
        ["Medical"] = ["Drama"],
        ["Soap Opera / Melodrama"] = ["Drama"],
        ["Children & Family Movies"] = ["Family"],
        ["Kids' TV"] = ["Family"],
        ["Kids"] = ["Family"],
        ["Sci-Fi & Fantasy"] = ["Science Fiction", "Fantasy"],
        ["TV Sci-Fi & Fantasy"] = ["Science Fiction", "Fantasy"],
        ["Faith and Spirituality"] = ["Faith & Spirituality"],
        ["Game Shows"] = ["Game Show"],
        ["Game Show / Competition"] = ["Game Show"],
        ["Historical"] = ["History"],
        ["Horror Movies"] = ["Horror"],
        ["TV Horror"] = ["Horror"],
        ["LGBTQ Movies"] = ["LGBTQ"],
        ["LGBTQ+"] = ["LGBTQ"],
        ["Lifestyle & Culture"] = ["Lifestyle"],
        ["Health & Wellness"] = ["Lifestyle"],
        ["Military and War"] = ["War"],
        ["Music & Musicals"] = ["Music"],
        ["Music Videos and Concerts"] = ["Music"],
        ["Musical"] = ["Music"],
        ["Concert Film"] = ["Music"],
        ["Dance"] = ["Music"],
        ["TV Mysteries"] = ["Mystery"],
        ["Reality TV"] = ["Reality"],
        ["Unscripted"] = ["Reality"],
        ["Romantic Movies"] = ["Romance"],
        ["Romantic TV Shows"] = ["Romance"],
        ["Sports"] = ["Sport"],
        ["Sports Movies"] = ["Sport"],
        ["Late Night"] = ["Talk Show"],
        ["Talk Show and Variety"] = ["Talk Show", "Variety"],
        ["Thrillers"] = ["Thriller"],
        ["TV Thrillers"] = ["Thriller"],
        ["Suspense"] = ["Thriller"],
        ["Spy/Espionage"] = ["Thriller"],
    };

    static readonly HashSet<string> Shelves = new(StringComparer.OrdinalIgnoreCase)
    {
        "Movies", "TV Shows", "Series", "International", "International Movies", "International TV Shows",
        "Independent Movies", "British TV Shows", "Korean TV Shows", "Spanish-Language TV Shows",
        "Classic Movies", "Classics", "Classic & Cult TV", "Cult Movies", "Arthouse", "Special Interest",
        ArtsEntertainmentCulture, "Teen", "Teen TV Shows", "Young Adult Audience", "Black Stories", "Latino", "Anthology",
    };

    /// <summary>The genres for a <c>listed_in</c> value such as "Dramas, International Movies, Romantic Movies".</summary>
    public static List<string> GenresFor(string listedIn)
    {
        var genres = new List<string>();
        foreach (var category in Split(listedIn))
        {
            if (Genres.TryGetValue(category, out var mapped)) genres.AddRange(mapped);
            else if (!IsShelf(category)) genres.Add(category);
        }
        return genres.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    static IEnumerable<string> Split(string listedIn)
    {
        var rest = listedIn;
        if (rest.Contains(ArtsEntertainmentCulture, StringComparison.OrdinalIgnoreCase))
        {
            yield return ArtsEntertainmentCulture;
            rest = rest.Replace(ArtsEntertainmentCulture, "", StringComparison.OrdinalIgnoreCase);
        }
        foreach (var part in rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            yield return part;
    }

    // Netflix names its regional and catch-all shelves "… TV Shows" / "… Movies"; any it adds later are shelves too.
    static bool IsShelf(string category) =>
        Shelves.Contains(category)
        || category.EndsWith(" TV Shows", StringComparison.OrdinalIgnoreCase)
        || category.EndsWith(" Movies", StringComparison.OrdinalIgnoreCase);
}
