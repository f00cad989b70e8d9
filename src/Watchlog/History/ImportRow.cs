using System.IO.Compression;

namespace Watchlog.History;

/// <summary>What a row asks for: a viewing (check-in), a rating of a title, or a watchlist entry.</summary>
public enum RowAction { Watch, Rating, Watchlist }

/// <summary>
/// One way to read a row's title: Netflix's <c>"A: B: C"</c> can be a film called that, or series A's episode "B: C",
/// or series "A: B"'s episode C. The matcher tries every reading and keeps the one the catalog confirms.
/// </summary>
/// <param name="Kind">movie, series or episode.</param>
/// <param name="Weight">How much the reading itself is believed (a season label found: 1; a guessed split: less).</param>
public sealed record Reading(string Kind, string Title, int? Season, int? Episode, string? EpisodeTitle, double Weight);

/// <summary>A row as a format read it, before matching. Formats fill what their files have and leave the rest null.</summary>
public sealed record ImportRow
{
    public string? File { get; init; }
    public int Line { get; init; }
    public RowAction Action { get; init; }
    /// <summary>movie, series, episode, or null when the file doesn't say (Netflix).</summary>
    public string? Kind { get; init; }
    /// <summary>The film's or the show's title.</summary>
    public string? Title { get; init; }
    public int? Year { get; init; }
    public int? Season { get; init; }
    public int? Episode { get; init; }
    public string? EpisodeTitle { get; init; }
    public DateTime? WatchedAt { get; init; }
    /// <summary>The file gave a day, not a time: <see cref="WatchedAt"/> is the start of that day in the user's zone.</summary>
    public bool DateOnly { get; init; }
    public int? Rating { get; init; }
    public string? Platform { get; init; }
    public string? Note { get; init; }
    public string? ImdbId { get; init; }
    public int? TmdbId { get; init; }
    public int? TvdbId { get; init; }
    public string? EpisodeImdbId { get; init; }
    public int? EpisodeTmdbId { get; init; }
    public int? EpisodeTvdbId { get; init; }
    /// <summary>A watchlist entry's "watched" time, when the file has one (Watchlog's own export).</summary>
    public DateTime? WatchlistWatchedAt { get; init; }
    /// <summary>Set when the row is read but not imported (a trailer, a malformed date, …): why.</summary>
    public string? SkipReason { get; init; }
    /// <summary>Alternatives to the title fields above (Netflix); empty means "read the fields as they are".</summary>
    public IReadOnlyList<Reading> Readings { get; init; } = [];

    /// <summary>The row can only be matched by its ids (an IMDb episode: its title alone names no show).</summary>
    public bool IdsOnly { get; init; }

    public IReadOnlyList<Reading> EffectiveReadings => Readings.Count > 0 ? Readings
        : Title is null || Kind is null || IdsOnly ? []
        : [new Reading(Kind, Title, Season, Episode, EpisodeTitle, 1.0)];

    public static ImportRow Skip(string? file, int line, RowAction action, string reason, string? title = null) =>
        new() { File = file, Line = line, Action = action, Title = title, SkipReason = reason };
}

/// <summary>What a file held: its rows in order, and (Watchlog's own export) the account's settings.</summary>
public sealed record ParsedFile(IReadOnlyList<ImportRow> Rows)
{
    public AccountSettings? Settings { get; init; }
}

/// <summary>
/// The settings part of a Watchlog export: profile (not the email), preferences, subscribed platforms. A part the file
/// lacks is null and left as it is. Genres and platforms are slugs, resolved on this server when applied.
/// </summary>
public sealed record AccountSettings
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? TimeZone { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Moods { get; init; }
    public IReadOnlyList<string>? AvoidGenres { get; init; }
    public Tracking.NotificationSettings? Notifications { get; init; }
    public IReadOnlyList<string>? Platforms { get; init; }
}

/// <summary>The file cannot be imported at all (wrong format, missing columns, not a zip…): nothing is written.</summary>
public sealed class HistoryFileException(string message) : Exception(message);

/// <summary>Options a person gives with an import.</summary>
public sealed record ImportOptions(string? Profile, TimeZoneInfo Zone)
{
    /// <summary>netflix-activity: sessions shorter than these are not counted as watched.</summary>
    public TimeSpan MinEpisodeSession { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MinMovieSession { get; init; } = TimeSpan.FromMinutes(20);
}

/// <summary>A history file format: reads the uploaded bytes into rows, or throws <see cref="HistoryFileException"/>.</summary>
public interface IHistoryFormat
{
    string Name { get; }
    ParsedFile Parse(ImportInput input, ImportOptions options);
}

/// <summary>
/// The uploaded bytes as files: a zip's entries (folders flattened to their paths), or the single file itself.
/// Letterboxd and Trakt exports arrive as zips; the CLI zips a folder it is given.
/// </summary>
public sealed class ImportInput
{
    public const long MaxBytes = 64L << 20;
    readonly List<(string Path, byte[] Content)> _files;

    ImportInput(List<(string, byte[])> files) => _files = files;

    public IReadOnlyList<(string Path, byte[] Content)> Files => _files;

    public static bool IsZip(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;

    public static ImportInput From(byte[] bytes, string? fileName)
    {
        if (!IsZip(bytes)) return new ImportInput([(fileName ?? "file", bytes)]);
        var files = new List<(string, byte[])>();
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/') || entry.FullName.Contains("__MACOSX", StringComparison.Ordinal)) continue;
                total += entry.Length;
                if (total > MaxBytes * 4) throw new HistoryFileException("The zip unpacks to more than 256 MB.");
                using var s = entry.Open();
                var ms = new MemoryStream();
                s.CopyTo(ms);
                files.Add((entry.FullName.Replace('\\', '/'), ms.ToArray()));
            }
        }
        catch (InvalidDataException e) { throw new HistoryFileException($"The file looks like a zip but cannot be read: {e.Message}"); }
        return new ImportInput(files);
    }

    /// <summary>A folder (the CLI), as one zip held in memory so it is stored like an upload.</summary>
    public static byte[] ZipFolder(string folder)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(Path.GetRelativePath(folder, path).Replace('\\', '/'), CompressionLevel.Fastest);
                using var s = entry.Open();
                using var f = File.OpenRead(path);
                f.CopyTo(s);
            }
        }
        return ms.ToArray();
    }

    /// <summary>Files whose name (the last path part) is <paramref name="name"/>, ignoring case and the folders given.</summary>
    public IEnumerable<(string Path, byte[] Content)> Named(string name, params string[] ignoreFolders) =>
        _files.Where(f => string.Equals(System.IO.Path.GetFileName(f.Path), name, StringComparison.OrdinalIgnoreCase)
                          && !ignoreFolders.Any(d => ("/" + f.Path).Contains("/" + d + "/", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The single file of a one-file format: the only file, or the one with that name inside a zip.</summary>
    public (string Path, byte[] Content) Single(string expectedName)
    {
        if (_files.Count == 1) return _files[0];
        var named = Named(expectedName).ToList();
        if (named.Count == 1) return named[0];
        throw new HistoryFileException(named.Count == 0
            ? $"The zip has no {expectedName}."
            : $"The zip has {named.Count} files named {expectedName}; upload one of them.");
    }
}
