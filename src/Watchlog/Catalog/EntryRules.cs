using System.Text.RegularExpressions;

namespace Watchlog.Catalog;

/// <summary>
/// What makes a <see cref="CatalogEntry"/> acceptable, with the reason a row is skipped when it is not.
/// <see cref="Check"/> also tidies the entry in place (trimmed text, lower-case kind, upper-case regions).
/// </summary>
public static partial class EntryRules
{
    public const int MinYear = 1870, MaxYear = 2100, MaxRuntimeMin = 2000;
    static readonly HashSet<string> Monetizations = ["subscription", "free", "ads", "rent", "buy", "addon"];

    [GeneratedRegex(@"^tt\d{7,10}$")] private static partial Regex ImdbTitleId();
    [GeneratedRegex(@"^nm\d{7,10}$")] private static partial Regex ImdbNameId();
    [GeneratedRegex(@"^[A-Z]{2}$")] private static partial Regex Region();

    public static bool IsImdbTitleId(string? id) => id is not null && ImdbTitleId().IsMatch(id);

    /// <summary>Null when the entry can be written; otherwise why not, naming the field.</summary>
    public static string? Check(CatalogEntry e)
    {
        e.Id = Tidy(e.Id);
        if (e.Id is null) return "id is required";
        if (e.Id.Length > 200) return "id is longer than 200 characters";
        e.Kind = Tidy(e.Kind)?.ToLowerInvariant();
        if (e.Kind is not ("movie" or "series")) return e.Kind is null ? "kind is required" : $"kind must be 'movie' or 'series', not '{e.Kind}'";
        e.Title = Tidy(e.Title);
        if (e.Title is null) return "title is required";
        if (e.Title.Length > 500) return "title is longer than 500 characters";
        if (Normalize.MatchKey(e.Title).Length == 0) return "title has no letters or digits";
        e.OriginalTitle = Tidy(e.OriginalTitle);
        if (e.Year is < MinYear or > MaxYear) return $"year must be between {MinYear} and {MaxYear}";
        if (e.RuntimeMin is < 0 or > MaxRuntimeMin) return $"runtime_min must be between 0 and {MaxRuntimeMin}";
        if (e.Popularity is { } p && (double.IsNaN(p) || double.IsInfinity(p) || p < 0)) return "popularity must be a number of 0 or more";
        if (e.CriticRating is < 0 or > 100 || e.AudienceRating is < 0 or > 100) return "ratings must be between 0 and 100";
        if (e.CriticVotes is < 0 || e.AudienceVotes is < 0) return "vote counts must be 0 or more";
        e.Network = Tidy(e.Network);
        e.Overview = Tidy(e.Overview);
        e.Status = Tidy(e.Status);
        e.Certification = Tidy(e.Certification);
        e.Poster = Tidy(e.Poster);
        e.Backdrop = Tidy(e.Backdrop);

        if (e.ExternalIds is { } ids)
        {
            ids.Imdb = Tidy(ids.Imdb);
            if (ids.Imdb is not null && !ImdbTitleId().IsMatch(ids.Imdb)) return $"external_ids.imdb must look like tt0111161, not '{ids.Imdb}'";
            if (ids.Tmdb is <= 0) return "external_ids.tmdb must be a positive number";
            if (ids.Tvdb is <= 0) return "external_ids.tvdb must be a positive number";
        }

        if (e.Genres is not null)
        {
            e.Genres = e.Genres.Select(Tidy).OfType<string>().Where(g => Normalize.Slug(g).Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (e.Genres.Any(g => g.Length > 100)) return "a genre is longer than 100 characters";
        }

        if (e.Regions is not null)
        {
            e.Regions = e.Regions.Select(r => Tidy(r)?.ToUpperInvariant()).OfType<string>().Distinct().ToList();
            var bad = e.Regions.FirstOrDefault(r => !Region().IsMatch(r));
            if (bad is not null) return $"regions: '{bad}' is not a two-letter country code";
        }

        for (var i = 0; e.Aliases is not null && i < e.Aliases.Count; i++)
        {
            var a = e.Aliases[i];
            a.Title = Tidy(a.Title);
            if (a.Title is null) return $"aliases[{i}].title is required";
            a.Region = Tidy(a.Region)?.ToUpperInvariant();
            if (a.Region is not null && !Region().IsMatch(a.Region)) return $"aliases[{i}].region must be a two-letter country code";
            a.Language = Tidy(a.Language)?.ToLowerInvariant();
            a.Kind = Tidy(a.Kind);
        }

        for (var i = 0; e.Platforms is not null && i < e.Platforms.Count; i++)
        {
            var pl = e.Platforms[i];
            pl.Name = Tidy(pl.Name);
            if (pl.Name is null || Normalize.PlatformKey(pl.Name).Length == 0) return $"platforms[{i}].name is required";
            pl.Region = Tidy(pl.Region)?.ToUpperInvariant();
            if (pl.Region is null) return $"platforms[{i}].region is required";
            if (!Region().IsMatch(pl.Region)) return $"platforms[{i}].region must be a two-letter country code";
            pl.Monetization = Tidy(pl.Monetization)?.ToLowerInvariant() ?? "subscription";
            if (!Monetizations.Contains(pl.Monetization)) return $"platforms[{i}].monetization must be one of {string.Join(", ", Monetizations)}";
            if (pl.AvailableFrom is { } from && pl.ExpiresOn is { } to && to < from) return $"platforms[{i}].expires_on is before available_from";
        }

        for (var i = 0; e.People is not null && i < e.People.Count; i++)
        {
            var person = e.People[i];
            person.Name = Tidy(person.Name);
            person.ImdbId = Tidy(person.ImdbId);
            // A person known by IMDb id alone (IMDb's principals file) is linked when that person is already stored.
            if ((person.Name is null || Normalize.MatchKey(person.Name).Length == 0) && person.ImdbId is null) return $"people[{i}].name is required";
            if (person.Name?.Length > 300) return $"people[{i}].name is longer than 300 characters";
            person.Role = Tidy(person.Role)?.ToLowerInvariant() ?? "actor";
            person.Character = Tidy(person.Character);
            if (person.ImdbId is not null && !ImdbNameId().IsMatch(person.ImdbId)) return $"people[{i}].imdb_id must look like nm0000151";
        }

        if (e.Seasons is { Count: > 0 })
        {
            if (e.Kind != "series") return "seasons are only for series";
            var numbers = new HashSet<int>();
            for (var i = 0; i < e.Seasons.Count; i++)
            {
                var s = e.Seasons[i];
                if (s.Number is not { } n || n < 0 || n > 10_000) return $"seasons[{i}].number must be 0 or more";
                if (!numbers.Add(n)) return $"seasons[{i}].number {n} appears twice";
                s.Name = Tidy(s.Name);
                s.Overview = Tidy(s.Overview);
                var episodes = new HashSet<int>();
                for (var j = 0; s.Episodes is not null && j < s.Episodes.Count; j++)
                {
                    var ep = s.Episodes[j];
                    if (ep.Number is not { } en || en < 0 || en > 100_000) return $"seasons[{i}].episodes[{j}].number must be 0 or more";
                    if (!episodes.Add(en)) return $"seasons[{i}].episodes[{j}].number {en} appears twice";
                    if (ep.RuntimeMin is < 0 or > MaxRuntimeMin) return $"seasons[{i}].episodes[{j}].runtime_min must be between 0 and {MaxRuntimeMin}";
                    ep.Title = Tidy(ep.Title);
                    ep.Overview = Tidy(ep.Overview);
                    ep.ImdbId = Tidy(ep.ImdbId);
                    if (ep.ImdbId is not null && !ImdbTitleId().IsMatch(ep.ImdbId)) return $"seasons[{i}].episodes[{j}].imdb_id must look like tt0959621";
                }
            }
        }
        return null;
    }

    /// <summary>The credit role a source's wording maps to, and the job kept for crew.</summary>
    public static (string Role, string? Job) Role(string? role) => role switch
    {
        null or "" or "actor" or "actress" or "cast" or "voice" or "self" => ("actor", null),
        "director" or "directed by" => ("director", null),
        "writer" or "screenplay" or "story" or "written by" or "novel" => ("writer", null),
        "creator" or "created by" => ("creator", null),
        "producer" or "executive producer" or "executive_producer" => ("producer", null),
        _ => ("crew", role),
    };

    static string? Tidy(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        return s.Contains('\0') ? s.Replace("\0", "", StringComparison.Ordinal) : s;
    }
}
