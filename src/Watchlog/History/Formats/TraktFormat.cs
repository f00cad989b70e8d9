using System.Globalization;
using System.Text.Json;

namespace Watchlog.History.Formats;

/// <summary>
/// <c>trakt</c>: Trakt's export zip (or folder) and community API backups (FORMATS.md B.3): watch history (one viewing
/// per history item; the <c>watched-*</c> summaries only when the bundle has no history), ratings of films and shows,
/// and the watchlist. Matched by the ids Trakt gives (IMDb, TMDB, TVDB; the episode's own ids) before titles.
/// Comments, collections, custom lists and ratings of seasons or episodes are not imported.
/// </summary>
public sealed class TraktFormat : IHistoryFormat
{
    public string Name => "trakt";

    enum Shape { History, WatchedMovies, WatchedShows, Ratings, Watchlist, Ignored }

    static Shape ShapeOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant().Replace('_', '-');
        if (name.StartsWith("watched-history", StringComparison.Ordinal) || name.StartsWith("history", StringComparison.Ordinal)) return Shape.History;
        if (name.StartsWith("watched-movies", StringComparison.Ordinal)) return Shape.WatchedMovies;
        if (name.StartsWith("watched-shows", StringComparison.Ordinal)) return Shape.WatchedShows;
        if (name.StartsWith("ratings", StringComparison.Ordinal)) return Shape.Ratings;
        if (name.StartsWith("lists-watchlist", StringComparison.Ordinal) || name.StartsWith("watchlist", StringComparison.Ordinal)) return Shape.Watchlist;
        return Shape.Ignored;
    }

    /// <summary>"ratings-movies-10.json" after "-2": pages sorted by number.</summary>
    static (string, int) SortKey(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dash = name.LastIndexOf('-');
        return dash > 0 && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (name[..dash], n) : (name, 1);
    }

    public ParsedFile Parse(ImportInput input, ImportOptions options)
    {
        var files = input.Files.Where(f => f.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(f => (f.Path, f.Content, Shape: ShapeOf(f.Path))).Where(f => f.Shape != Shape.Ignored)
            .OrderBy(f => f.Shape).ThenBy(f => SortKey(f.Path).Item1, StringComparer.Ordinal).ThenBy(f => SortKey(f.Path).Item2).ToList();
        // A single uploaded file may be named anything: sniff its items.
        if (files.Count == 0 && input.Files.Count == 1) files = [(input.Files[0].Path, input.Files[0].Content, Shape.Ignored)];
        if (files.Count == 0) throw new HistoryFileException("This is not a Trakt export: it has no watched-history, watched-*, ratings-* or watchlist JSON files.");
        var hasHistory = files.Any(f => f.Shape == Shape.History);
        var rows = new List<ImportRow>();
        foreach (var (path, content, shape) in files)
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse(content); }
            catch (JsonException e) { throw new HistoryFileException($"{Path.GetFileName(path)} is not valid JSON: {e.Message}"); }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new HistoryFileException($"{Path.GetFileName(path)} is not a Trakt list (a JSON array).");
                var file = Path.GetFileName(path);
                var line = 0;
                foreach (var item in doc.RootElement.EnumerateArray())
                {
                    line++;
                    var kind = shape == Shape.Ignored ? Sniff(item) : shape;
                    if ((kind is Shape.WatchedMovies or Shape.WatchedShows) && hasHistory) continue; // the history has every viewing already
                    try
                    {
                        switch (kind)
                        {
                            case Shape.History: rows.Add(HistoryItem(file, line, item)); break;
                            case Shape.WatchedMovies: rows.Add(WatchedMovie(file, line, item)); break;
                            case Shape.WatchedShows: rows.AddRange(WatchedShow(file, line, item)); break;
                            case Shape.Ratings: rows.Add(Rated(file, line, item)); break;
                            case Shape.Watchlist: rows.Add(Listed(file, line, item)); break;
                            default: rows.Add(ImportRow.Skip(file, line, RowAction.Watch, "Not a Trakt history, rating or watchlist item.")); break;
                        }
                    }
                    catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
                    {
                        rows.Add(ImportRow.Skip(file, line, RowAction.Watch, $"The item cannot be read: {e.Message}"));
                    }
                }
            }
        }
        return new ParsedFile(rows);
    }

    static Shape Sniff(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object) return Shape.Ignored;
        if (item.TryGetProperty("watched_at", out _)) return Shape.History;
        if (item.TryGetProperty("rated_at", out _)) return Shape.Ratings;
        if (item.TryGetProperty("listed_at", out _)) return Shape.Watchlist;
        if (item.TryGetProperty("plays", out _)) return item.TryGetProperty("movie", out _) ? Shape.WatchedMovies : Shape.WatchedShows;
        return Shape.Ignored;
    }

    static JsonElement? Obj(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;
    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;

    static DateTime Instant(JsonElement e, string name)
    {
        var text = Str(e, name) ?? throw new FormatException($"{name} is missing");
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            throw new FormatException($"{name} '{text}' is not an ISO-8601 instant");
        return DateTime.SpecifyKind(at, DateTimeKind.Utc);
    }

    /// <summary>The title fields of a movie or show object, with its ids.</summary>
    static ImportRow Title(string file, int line, RowAction action, string kind, JsonElement media)
    {
        var ids = Obj(media, "ids");
        return new ImportRow
        {
            File = file, Line = line, Action = action, Kind = kind, Title = Str(media, "title"), Year = Int(media, "year"),
            ImdbId = ids is { } i ? Str(i, "imdb") : null, TmdbId = ids is { } t ? Int(t, "tmdb") : null,
            TvdbId = ids is { } v && kind != "movie" ? Int(v, "tvdb") : null,
        };
    }

    static ImportRow Episode(string file, int line, RowAction action, JsonElement show, JsonElement episode)
    {
        var row = Title(file, line, action, "episode", show);
        var ids = Obj(episode, "ids");
        return row with
        {
            Season = Int(episode, "season"), Episode = Int(episode, "number"), EpisodeTitle = Str(episode, "title"),
            EpisodeImdbId = ids is { } i ? Str(i, "imdb") : null, EpisodeTmdbId = ids is { } t ? Int(t, "tmdb") : null, EpisodeTvdbId = ids is { } v ? Int(v, "tvdb") : null,
        };
    }

    static ImportRow HistoryItem(string file, int line, JsonElement item)
    {
        var at = Instant(item, "watched_at");
        if (Obj(item, "movie") is { } movie) return Title(file, line, RowAction.Watch, "movie", movie) with { WatchedAt = at };
        if (Obj(item, "episode") is { } episode && Obj(item, "show") is { } show) return Episode(file, line, RowAction.Watch, show, episode) with { WatchedAt = at };
        return ImportRow.Skip(file, line, RowAction.Watch, "A history item without a movie, or an episode with its show.");
    }

    static ImportRow WatchedMovie(string file, int line, JsonElement item)
    {
        var movie = Obj(item, "movie") ?? throw new FormatException("movie is missing");
        return Title(file, line, RowAction.Watch, "movie", movie) with { WatchedAt = Instant(item, "last_watched_at") };
    }

    static IEnumerable<ImportRow> WatchedShow(string file, int line, JsonElement item)
    {
        var show = Obj(item, "show") ?? throw new FormatException("show is missing");
        if (!item.TryGetProperty("seasons", out var seasons) || seasons.ValueKind != JsonValueKind.Array)
            return [ImportRow.Skip(file, line, RowAction.Watch, "A watched show without its seasons (exported with extended=noseasons).", Str(show, "title"))];
        var rows = new List<ImportRow>();
        foreach (var season in seasons.EnumerateArray())
        {
            if (!season.TryGetProperty("episodes", out var episodes) || episodes.ValueKind != JsonValueKind.Array) continue;
            foreach (var ep in episodes.EnumerateArray())
                rows.Add(Title(file, line, RowAction.Watch, "episode", show) with
                {
                    Season = Int(season, "number"), Episode = Int(ep, "number"), WatchedAt = Instant(ep, "last_watched_at"),
                });
        }
        return rows;
    }

    static ImportRow Rated(string file, int line, JsonElement item)
    {
        var rating = Int(item, "rating");
        var at = Instant(item, "rated_at");
        var type = Str(item, "type");
        if (rating is not (>= 1 and <= 10)) return ImportRow.Skip(file, line, RowAction.Rating, "The rating is not a whole number from 1 to 10.");
        if (type is "movie" && Obj(item, "movie") is { } movie) return Title(file, line, RowAction.Rating, "movie", movie) with { Rating = rating, WatchedAt = at };
        if (type is "show" && Obj(item, "show") is { } show) return Title(file, line, RowAction.Rating, "series", show) with { Rating = rating, WatchedAt = at };
        return ImportRow.Skip(file, line, RowAction.Rating, $"Watchlog rates whole films and series, not a {type ?? "item"}.");
    }

    static ImportRow Listed(string file, int line, JsonElement item)
    {
        var at = Instant(item, "listed_at");
        var type = Str(item, "type");
        if (type is "movie" && Obj(item, "movie") is { } movie) return Title(file, line, RowAction.Watchlist, "movie", movie) with { WatchedAt = at };
        if (type is "show" && Obj(item, "show") is { } show) return Title(file, line, RowAction.Watchlist, "series", show) with { WatchedAt = at };
        return ImportRow.Skip(file, line, RowAction.Watchlist, $"Watchlog's watchlist holds films and series, not a {type ?? "item"}.");
    }
}
