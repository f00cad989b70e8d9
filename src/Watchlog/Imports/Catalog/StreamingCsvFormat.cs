using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Watchlog.Catalog;
using Watchlog.Imports.Csv;

namespace Watchlog.Imports.Catalog;

/// <summary>
/// The per-platform catalog CSVs published on Kaggle (Netflix, Prime Video, Disney+, Hulu; 2021):
/// <c>show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description</c>.
/// Every title is recorded as available on <c>--platform</c> in <c>--region</c> (default US) by subscription since
/// <c>date_added</c>. show_ids (s1, s2, …) restart in every file, so the source is per platform.
/// </summary>
public sealed partial class StreamingCsvFormat : ICatalogFormat
{
    static readonly string[] Columns =
        ["show_id", "type", "title", "director", "cast", "country", "date_added", "release_year", "rating", "duration", "listed_in", "description"];

    static readonly string[] DateFormats = ["MMMM d, yyyy", "MMM d, yyyy", "yyyy-MM-dd", "d-MMM-yy"];

    public string Name => "streaming-csv";

    public string DefaultSource(CatalogImportOptions options) => $"streaming-csv:{Normalize.Slug(StreamingTarget.From(options).Platform)}";

    public async IAsyncEnumerable<ImportRow> ReadAsync(string path, CatalogImportOptions options, ReadPosition position, [EnumeratorCancellation] CancellationToken ct)
    {
        var target = StreamingTarget.From(options);
        if (Directory.Exists(path)) throw new ImportException($"{path} is a folder; streaming-csv reads one catalog file");
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        position.Total = stream.Length;

        CsvHeader? header = null;
        int[] at = [];
        await foreach (var record in CsvReader.ReadAsync(stream, ct))
        {
            position.Done = record.BytesRead;
            if (header is null)
            {
                if (record.Error is not null) throw new ImportException($"{path}: the header row can't be read: {record.Error}");
                header = new CsvHeader(record);
                if (header.Missing(Columns) is { Count: > 0 } missing)
                    throw new ImportException($"{path} is not a streaming catalog: it lacks the column(s) {string.Join(", ", missing)} (it has {string.Join(", ", header.Names)})");
                at = Columns.Select(c => header[c]).ToArray();
                continue;
            }
            if (record.Error is not null) yield return ImportRow.Bad(record.Line, record.Error);
            else if (record.Count != header.Count) yield return ImportRow.Bad(record.Line, $"the row has {record.Count} fields where the header has {header.Count}");
            else yield return Map(record.Line, new StreamingCatalogRow
            {
                ShowId = record[at[0]], Type = record[at[1]], Title = record[at[2]], Director = record[at[3]], Cast = record[at[4]],
                Country = record[at[5]], DateAdded = record[at[6]], ReleaseYear = record[at[7]], Rating = record[at[8]],
                Duration = record[at[9]], ListedIn = record[at[10]], Description = record[at[11]],
            }, target);
        }
        if (header is null) throw new ImportException($"{path} is empty: a streaming catalog starts with the header {string.Join(",", Columns)}");
    }

    /// <summary>One row as an entry, or the reason it can't be one.</summary>
    public static ImportRow Map(int line, StreamingCatalogRow row, StreamingTarget target)
    {
        var rating = Text(row.Rating);
        var duration = Text(row.Duration);
        // Some rows (3 on Netflix, ~230 on Hulu) hold the duration in `rating` and leave `duration` empty.
        if (rating is not null && (Minutes().IsMatch(rating) || Seasons().IsMatch(rating)))
        {
            duration ??= rating;
            rating = null;
        }
        int? runtime = null;
        var countsSeasons = false;
        if (duration is not null)
        {
            if (Minutes().Match(duration) is { Success: true } m) runtime = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            else if (Seasons().IsMatch(duration)) countsSeasons = true;
            else return ImportRow.Bad(line, $"duration '{duration}' is neither minutes ('90 min') nor seasons ('2 Seasons')");
        }

        var type = Text(row.Type);
        var kind = type?.ToLowerInvariant() switch
        {
            // Hulu lists some 60 series as "Movie"; their duration, a number of seasons, gives them away.
            "movie" => countsSeasons ? "series" : "movie",
            "tv show" => "series",
            _ => null,
        };
        if (kind is null) return ImportRow.Bad(line, type is null ? "type is empty" : $"type must be 'Movie' or 'TV Show', not '{type}'");

        int? year = null;
        if (Text(row.ReleaseYear) is { } yearText)
        {
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return ImportRow.Bad(line, $"release_year '{yearText}' is not a year");
            year = y;
        }

        DateOnly? added = null;
        if (Text(row.DateAdded) is { } addedText)
        {
            if (!DateOnly.TryParseExact(addedText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return ImportRow.Bad(line, $"date_added '{addedText}' is not a date like 'September 25, 2021'");
            added = d;
        }

        var description = Text(row.Description);
        var people = new List<PersonEntry>();
        // Three Hulu rows repeat the description in `director`.
        var directors = Text(row.Director) is { } named && named != description ? named : null;
        people.AddRange(People(directors).Select(n => new PersonEntry { Name = n, Role = "director" }));
        people.AddRange(People(row.Cast).Select(n => new PersonEntry { Name = n, Role = "actor" }));

        var entry = new CatalogEntry
        {
            Id = Text(row.ShowId),
            Kind = kind,
            Title = Text(row.Title),
            Year = year,
            RuntimeMin = kind == "movie" ? runtime : null,
            Certification = Certification(rating),
            Overview = description,
            Genres = StreamingCategories.GenresFor(row.ListedIn),
            Regions = Names(row.Country).Select(CountryCodes.For).OfType<string>().Distinct().ToList(),
            People = people,
            Platforms = [new PlatformEntry { Name = target.Platform, Region = target.Region, Monetization = "subscription", AvailableFrom = added }],
        };
        return ImportRow.Ok(line, entry);
    }

    static IEnumerable<string> Names(string? list) =>
        list is null ? [] : list.Split(',').Select(Text).OfType<string>();

    /// <summary>
    /// People in a comma-separated list. "Clifton Collins, Jr." is one person; Prime Video's placeholder rows list
    /// "1, 2, 3" as their cast, and a name without a letter is nobody's.
    /// </summary>
    static List<string> People(string? list)
    {
        var people = new List<string>();
        foreach (var name in Names(list))
        {
            if (people.Count > 0 && NameSuffix().IsMatch(name)) people[^1] += ", " + name;
            else if (name.Any(char.IsLetter)) people.Add(name);
        }
        return people;
    }

    static string? Certification(string? rating) => rating?.ToUpperInvariant() switch
    {
        null => null,
        "NOT RATED" or "NOT_RATE" or "UNRATED" or "UR" or "TV-NR" => "NR",
        "AGES_18_" => "18+",
        "AGES_16_" or "16" => "16+",
        "ALL_AGES" => "ALL",
        _ => rating,
    };

    /// <summary>Trimmed text with runs of white space (newlines included) as one space and zero-width marks removed; null when empty.</summary>
    static string? Text(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (c is '\u200B' or '\u200C' or '\u200D' or '\u200E' or '\u200F' or '\u2060' or '\uFEFF') continue;
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.Length == 0 ? null : sb.ToString();
    }

    [GeneratedRegex(@"^(\d{1,4})\s*min$", RegexOptions.IgnoreCase)] private static partial Regex Minutes();
    [GeneratedRegex(@"^\d{1,3}\s*Seasons?$", RegexOptions.IgnoreCase)] private static partial Regex Seasons();
    [GeneratedRegex(@"^(Jr|Sr)\.?$|^(II|III|IV)$")] private static partial Regex NameSuffix();
}

/// <summary>One row of a streaming catalog as written, every field as text.</summary>
public sealed record StreamingCatalogRow
{
    public string ShowId { get; init; } = "";
    public string Type { get; init; } = "";
    public string Title { get; init; } = "";
    public string Director { get; init; } = "";
    public string Cast { get; init; } = "";
    public string Country { get; init; } = "";
    public string DateAdded { get; init; } = "";
    public string ReleaseYear { get; init; } = "";
    public string Rating { get; init; } = "";
    public string Duration { get; init; } = "";
    public string ListedIn { get; init; } = "";
    public string Description { get; init; } = "";
}

/// <summary>Where a streaming catalog's titles are available: the platform as the user named it, and a region.</summary>
public sealed partial record StreamingTarget(string Platform, string Region)
{
    /// <summary>Checks <c>--platform</c> (required) and <c>--region</c> (two letters, default US).</summary>
    public static StreamingTarget From(CatalogImportOptions options)
    {
        var platform = options.Platform?.Trim();
        if (string.IsNullOrEmpty(platform))
            throw new ImportException("streaming-csv needs --platform: the service the catalog lists, e.g. --platform netflix or --platform \"Disney+\"");
        if (Normalize.PlatformKey(platform).Length == 0)
            throw new ImportException($"--platform '{platform}' has no letters or digits");
        var region = options.Region?.Trim() is { Length: > 0 } r ? r.ToUpperInvariant() : "US";
        if (!TwoLetters().IsMatch(region))
            throw new ImportException($"--region must be a two-letter country code such as US or GB, not '{options.Region}'");
        return new StreamingTarget(platform, region);
    }

    [GeneratedRegex("^[A-Z]{2}$")] private static partial Regex TwoLetters();
}
