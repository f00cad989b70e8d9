using System.Globalization;
using System.Runtime.CompilerServices;
using Watchlog.Catalog;
using Watchlog.Imports.Csv;

namespace Watchlog.Imports.Catalog;

/// <summary>
/// MovieLens (GroupLens): <c>movies.csv</c> (<c>movieId,title,genres</c>) and, when it sits beside it,
/// <c>links.csv</c> (<c>movieId,imdbId,tmdbId</c>) for the IMDb and TMDB ids. PATH is the folder or movies.csv itself.
/// Every row is a movie; its id is the movieId.
/// </summary>
public sealed class MovieLensFormat : ICatalogFormat
{
    static readonly string[] Columns = ["movieId", "title", "genres"];

    public string Name => "movielens";

    public string DefaultSource(CatalogImportOptions options) => "movielens";

    public async IAsyncEnumerable<ImportRow> ReadAsync(string path, CatalogImportOptions options, ReadPosition position, [EnumeratorCancellation] CancellationToken ct)
    {
        var moviesPath = Directory.Exists(path) ? Path.Combine(path, "movies.csv") : path;
        if (!File.Exists(moviesPath)) throw new ImportException($"{path} has no movies.csv");
        var linksPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(moviesPath))!, "links.csv");

        await using var movies = new FileStream(moviesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        await using var links = File.Exists(linksPath) ? await MovieLensLinks.OpenAsync(linksPath, ct) : null;
        position.Total = movies.Length + (links?.Length ?? 0);

        CsvHeader? header = null;
        int id = 0, title = 0, genres = 0;
        await foreach (var record in CsvReader.ReadAsync(movies, ct))
        {
            position.Done = record.BytesRead + (links?.BytesRead ?? 0);
            if (header is null)
            {
                if (record.Error is not null) throw new ImportException($"{moviesPath}: the header row can't be read: {record.Error}");
                header = new CsvHeader(record);
                if (header.Missing(Columns) is { Count: > 0 } missing)
                    throw new ImportException($"{moviesPath} is not a MovieLens movies.csv: it lacks the column(s) {string.Join(", ", missing)}");
                (id, title, genres) = (header["movieId"], header["title"], header["genres"]);
                continue;
            }
            if (record.Error is not null)
            {
                yield return ImportRow.Bad(record.Line, record.Error);
                continue;
            }
            var idText = record[id].Trim();
            if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var movieId))
            {
                yield return ImportRow.Bad(record.Line, idText.Length == 0 ? "movieId is empty" : $"movieId '{idText}' is not a number");
                continue;
            }
            var parsed = MovieLensTitle.Parse(record[title]);
            yield return ImportRow.Ok(record.Line, new CatalogEntry
            {
                Id = idText,
                Kind = "movie",
                Title = parsed.Title,
                Year = parsed.Year,
                Aliases = parsed.Aliases.Count > 0 ? [.. parsed.Aliases] : null,
                Genres = GenresFor(record[genres]),
                ExternalIds = links is null ? null : await links.FindAsync(movieId, ct),
            });
        }
        if (header is null) throw new ImportException($"{moviesPath} is empty: a MovieLens movies.csv starts with the header movieId,title,genres");
    }

    /// <summary>"Adventure|Animation|Children" as our genres: Children is Family, Sci-Fi Science Fiction; IMAX is a screen, not a genre.</summary>
    public static List<string> GenresFor(string pipe)
    {
        var genres = new List<string>();
        foreach (var genre in pipe.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (genre)
            {
                case "(no genres listed)" or "IMAX": break;
                case "Children": genres.Add("Family"); break;
                case "Sci-Fi": genres.Add("Science Fiction"); break;
                case "Musical": genres.Add("Music"); break;
                case "Film-Noir": genres.AddRange(["Crime", "Film-Noir"]); break;
                default: genres.Add(genre); break;
            }
        }
        return genres.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}

/// <summary>
/// links.csv, read alongside movies.csv. Both are ordered by movieId, so one pass through each (a merge join) finds
/// every movie's ids in constant memory. A first quick pass checks that order; when links.csv (or later movies.csv)
/// turns out not to follow it, the links are loaded into a dictionary once and looked up from there.
/// </summary>
sealed class MovieLensLinks : IAsyncDisposable
{
    readonly string _path;
    IAsyncEnumerator<(int MovieId, ExternalIds? Ids)>? _cursor;
    (int MovieId, ExternalIds? Ids)? _next;
    int _lastAsked = int.MinValue;
    Dictionary<int, ExternalIds?>? _all;

    MovieLensLinks(string path)
    {
        _path = path;
        Length = new FileInfo(path).Length;
    }

    public long Length { get; }
    public long BytesRead { get; private set; }

    public static async Task<MovieLensLinks> OpenAsync(string path, CancellationToken ct)
    {
        var links = new MovieLensLinks(path);
        var previous = int.MinValue;
        var ordered = true;
        await foreach (var link in links.ReadAsync(ct))
        {
            if (link.MovieId <= previous) { ordered = false; break; }
            previous = link.MovieId;
        }
        if (!ordered) await links.LoadAllAsync(ct);
        else
        {
            links.BytesRead = 0;
            links._cursor = links.ReadAsync(ct).GetAsyncEnumerator(ct);
            links._next = await links._cursor.MoveNextAsync() ? links._cursor.Current : null;
        }
        return links;
    }

    public async ValueTask<ExternalIds?> FindAsync(int movieId, CancellationToken ct)
    {
        if (_all is null && movieId <= _lastAsked) await LoadAllAsync(ct);
        if (_all is not null) return _all.GetValueOrDefault(movieId);
        _lastAsked = movieId;
        while (_next is { } link && link.MovieId < movieId)
            _next = await _cursor!.MoveNextAsync() ? _cursor.Current : null;
        return _next is { } found && found.MovieId == movieId ? found.Ids : null;
    }

    async Task LoadAllAsync(CancellationToken ct)
    {
        await DisposeAsync();
        _all = [];
        await foreach (var link in ReadAsync(ct)) _all.TryAdd(link.MovieId, link.Ids);
        BytesRead = Length;
    }

    /// <summary>The readable links in file order; a row that can't be read only costs its movie the ids.</summary>
    async IAsyncEnumerable<(int MovieId, ExternalIds? Ids)> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        CsvHeader? header = null;
        await foreach (var record in CsvReader.ReadAsync(stream, ct))
        {
            BytesRead = record.BytesRead;
            if (header is null)
            {
                header = new CsvHeader(record);
                if (record.Error is not null || header.Missing("movieId", "imdbId", "tmdbId") is { Count: > 0 })
                    throw new ImportException($"{_path} is not a MovieLens links.csv: its header must name movieId, imdbId and tmdbId");
                continue;
            }
            if (record.Error is null && Parse(record, header) is { } link) yield return link;
        }
    }

    static (int MovieId, ExternalIds? Ids)? Parse(CsvRecord record, CsvHeader header)
    {
        if (!int.TryParse(record[header["movieId"]].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var movieId)) return null;
        var imdb = record[header["imdbId"]].Trim();
        var ids = new ExternalIds
        {
            // MovieLens drops the "tt" and the leading zeros IMDb pads its ids to 7 digits with.
            Imdb = imdb.Length > 0 && imdb.All(char.IsAsciiDigit) ? "tt" + imdb.PadLeft(7, '0') : null,
            Tmdb = int.TryParse(record[header["tmdbId"]].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var tmdb) && tmdb > 0 ? tmdb : null,
        };
        return (movieId, ids.Imdb is null && ids.Tmdb is null ? null : ids);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cursor is not null) await _cursor.DisposeAsync();
        _cursor = null;
    }
}
