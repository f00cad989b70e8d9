using System.Data.Common;
using Dapper;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.History;

/// <summary>A title (and episode) a row could mean, as shown in the review queue.</summary>
public sealed record Candidate(long TitleId, long? EpisodeId, string Title, string Kind, int? Year, int? Season, int? Number, string? EpisodeTitle);

/// <summary>What a row matched: <c>matched</c> (confident and unambiguous), <c>review</c> (a person decides), or <c>skipped</c>.</summary>
public sealed record MatchResult(string Status, long? TitleId, long? EpisodeId, double Confidence, string? Reason, IReadOnlyList<Candidate> Candidates)
{
    public static MatchResult Skipped(string reason) => new("skipped", null, null, 0, reason, []);
}

/// <summary>
/// The seam for the metadata provider (issue 5): titles the catalog doesn't have are handed to it to be synced in the
/// background (never fetched during an import). Nothing implements it until the provider exists; the rows then wait in
/// the review queue, where a person can also pick any catalog title by id.
/// </summary>
public interface IMissingTitleQueue
{
    Task QueueAsync(IReadOnlyList<(string Kind, string Title, int? Year)> titles, CancellationToken ct);
}

/// <summary>
/// Finds each row's title and episode in the catalog, in bulk (a few queries per import, not per row). External ids
/// first (IMDb, TMDB, TVDB — the episode's own ids when the file has them); otherwise the normalized title
/// (<see cref="Normalize.MatchKey"/>, also against the titles' aliases) with the kind and the year (exact, then ±1); episodes
/// by season and number, else by their title within the season, then within the series, then by the looser
/// <see cref="EpisodeTitles.LooseKey"/>. Every reading of a row is tried; a row is matched only
/// when exactly one title/episode comes out at or above <see cref="AutoThreshold"/>, otherwise it goes to review with
/// the candidates.
/// </summary>
public sealed class Matcher(Db db)
{
    public const double AutoThreshold = 0.8;
    const int MaxCandidates = 12;

    sealed record TitleInfo
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public int? Year { get; init; }
        public string MatchKey { get; init; } = "";
        public string? ImdbId { get; init; }
        public int? TmdbId { get; init; }
        public int? TvdbId { get; init; }
    }

    sealed record EpisodeInfo
    {
        public long Id { get; init; }
        public long TitleId { get; init; }
        public int SeasonNumber { get; init; }
        public int Number { get; init; }
        public string? Title { get; init; }
        public string? ImdbId { get; init; }
        public int? TmdbId { get; init; }
        public int? TvdbId { get; init; }
        public string Key { get; set; } = "";
        public string LooseKey { get; set; } = "";
    }

    /// <summary>The catalog rows an import's rows can match, loaded once.</summary>
    sealed class Index
    {
        public Dictionary<long, TitleInfo> Titles { get; } = [];
        public ILookup<string, TitleInfo> ByKey { get; set; } = Array.Empty<TitleInfo>().ToLookup(t => t.MatchKey);
        public Dictionary<long, List<EpisodeInfo>> Episodes { get; } = [];
        public Dictionary<string, EpisodeInfo> EpisodesByImdb { get; } = new(StringComparer.OrdinalIgnoreCase);
        public ILookup<string, TitleInfo> ByImdb { get; set; } = Array.Empty<TitleInfo>().ToLookup(t => "");
        public ILookup<int, TitleInfo> ByTmdb { get; set; } = Array.Empty<TitleInfo>().ToLookup(t => 0);
        public ILookup<int, TitleInfo> ByTvdb { get; set; } = Array.Empty<TitleInfo>().ToLookup(t => 0);
    }

    public async Task<IReadOnlyList<MatchResult>> MatchAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var index = await LoadAsync(rows, ct);
        return rows.Select(r => Match(r, index)).ToList();
    }

    // ------------------------------------------------------------------ loading

    string In(string column, string parameter) => db.Pick(
        sqlite: $"{column} IN (SELECT value FROM json_each(@{parameter}))",
        postgres: $"{column} = ANY(@{parameter})");

    object List(IReadOnlyCollection<string> values) => db.Dialect == Dialect.Sqlite ? System.Text.Json.JsonSerializer.Serialize(values, HistoryJsonContext.Default.IReadOnlyCollectionString) : values.ToArray();
    object List(IReadOnlyCollection<long> values) => db.Dialect == Dialect.Sqlite ? "[" + string.Join(",", values) + "]" : values.ToArray();
    object List(IReadOnlyCollection<int> values) => db.Dialect == Dialect.Sqlite ? "[" + string.Join(",", values) + "]" : values.ToArray();

    const string TitleColumns = "id, kind, title, year, match_key, imdb_id, tmdb_id, tvdb_id";

    async Task<Index> LoadAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var index = new Index();
        var live = rows.Where(r => r.SkipReason is null).ToList();
        var imdb = live.Select(r => r.ImdbId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var tmdb = live.Where(r => r.TmdbId is not null).Select(r => r.TmdbId!.Value).Distinct().ToList();
        var tvdb = live.Where(r => r.TvdbId is not null).Select(r => r.TvdbId!.Value).Distinct().ToList();
        var episodeImdb = live.Select(r => r.EpisodeImdbId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var keys = live.SelectMany(r => r.EffectiveReadings).Select(x => Normalize.MatchKey(x.Title)).Where(k => k.Length > 0).Distinct().ToList();

        await using var conn = await db.OpenAsync(ct);
        async Task AddTitles(string where, object param)
        {
            foreach (var t in await conn.QueryAsync<TitleInfo>(new CommandDefinition($"SELECT {TitleColumns} FROM titles WHERE {where}", param, cancellationToken: ct)))
                index.Titles.TryAdd(t.Id, t);
        }
        if (imdb.Count > 0) await AddTitles(In("imdb_id", "p"), new { p = List(imdb) });
        if (tmdb.Count > 0) await AddTitles(In("tmdb_id", "p"), new { p = List(tmdb) });
        if (tvdb.Count > 0) await AddTitles(In("tvdb_id", "p"), new { p = List(tvdb) });
        if (keys.Count > 0) await AddTitles(In("match_key", "p"), new { p = List(keys) });
        if (episodeImdb.Count > 0)
        {
            foreach (var e in await conn.QueryAsync<EpisodeInfo>(new CommandDefinition(
                         $"SELECT id, title_id, season_number, number, title, imdb_id, tmdb_id, tvdb_id FROM episodes WHERE {In("imdb_id", "p")}",
                         new { p = List(episodeImdb) }, cancellationToken: ct)))
                index.EpisodesByImdb[e.ImdbId!] = e;
            var parents = index.EpisodesByImdb.Values.Select(e => e.TitleId).Where(id => !index.Titles.ContainsKey(id)).Distinct().ToList();
            if (parents.Count > 0) await AddTitles(In("id", "p"), new { p = List(parents) });
        }
        // Other names of a title (translations, original titles): "Haus des Geldes" in a German Netflix file is Money Heist.
        var names = live.SelectMany(r => r.EffectiveReadings).Select(x => x.Title.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().ToList();
        var aliases = new List<(string Key, long TitleId)>();
        if (names.Count > 0)
        {
            var found = (await conn.QueryAsync<(long TitleId, string Title)>(new CommandDefinition(
                $"SELECT title_id, title FROM title_aliases WHERE {db.Pick(sqlite: "lower(title) IN (SELECT lower(value) FROM json_each(@p))", postgres: "lower(title) = ANY(@p)")}",
                new { p = List(names) }, cancellationToken: ct))).ToList();
            var missingTitles = found.Select(a => a.TitleId).Where(id => !index.Titles.ContainsKey(id)).Distinct().ToList();
            if (missingTitles.Count > 0) await AddTitles(In("id", "p"), new { p = List(missingTitles) });
            aliases.AddRange(found.Select(a => (Normalize.MatchKey(a.Title), a.TitleId)).Where(a => a.Item1.Length > 0));
        }
        index.ByKey = index.Titles.Values.Select(t => (Key: t.MatchKey, Title: t))
            .Concat(aliases.Where(a => index.Titles.ContainsKey(a.TitleId)).Select(a => (a.Key, Title: index.Titles[a.TitleId])))
            .DistinctBy(p => (p.Key, p.Title.Id)).ToLookup(p => p.Key, p => p.Title);

        index.ByImdb = index.Titles.Values.Where(t => t.ImdbId is not null).ToLookup(t => t.ImdbId!, StringComparer.OrdinalIgnoreCase);
        index.ByTmdb = index.Titles.Values.Where(t => t.TmdbId is not null).ToLookup(t => t.TmdbId!.Value);
        index.ByTvdb = index.Titles.Values.Where(t => t.TvdbId is not null).ToLookup(t => t.TvdbId!.Value);

        var series = index.Titles.Values.Where(t => t.Kind == "series").Select(t => t.Id).ToList();
        if (series.Count > 0 && live.Any(r => r.Kind is "episode" or null))
        {
            foreach (var e in await conn.QueryAsync<EpisodeInfo>(new CommandDefinition(
                         $"SELECT id, title_id, season_number, number, title, imdb_id, tmdb_id, tvdb_id FROM episodes WHERE {In("title_id", "p")}",
                         new { p = List(series) }, cancellationToken: ct)))
            {
                e.Key = Normalize.MatchKey(e.Title);
                e.LooseKey = EpisodeTitles.LooseKey(e.Title);
                if (!index.Episodes.TryGetValue(e.TitleId, out var list)) index.Episodes[e.TitleId] = list = [];
                list.Add(e);
            }
        }
        return index;
    }

    // ------------------------------------------------------------------ matching one row

    static Candidate ToCandidate(TitleInfo t, EpisodeInfo? e = null) =>
        new(t.Id, e?.Id, t.Title, t.Kind, t.Year, e?.SeasonNumber, e?.Number, e?.Title);

    sealed record Outcome(TitleInfo? Title, EpisodeInfo? Episode, double Confidence, List<Candidate> Candidates, string? Why);

    static MatchResult Match(ImportRow row, Index index)
    {
        if (row.SkipReason is not null) return MatchResult.Skipped(row.SkipReason);
        var wantsEpisode = row.Kind == "episode";

        // 1. External ids: the episode's own id, then the title's.
        if (row.EpisodeImdbId is { } eimdb && index.EpisodesByImdb.TryGetValue(eimdb, out var byEpisodeId) && index.Titles.TryGetValue(byEpisodeId.TitleId, out var parent))
            return Decide([new Outcome(parent, byEpisodeId, 1.0, [], null)], row);
        var kind = row.Kind == "movie" ? "movie" : "series";
        var byId = (row.ImdbId is { } imdb ? index.ByImdb[imdb].FirstOrDefault(t => t.Kind == kind) : null)
                   ?? (row.TmdbId is { } tmdb ? index.ByTmdb[tmdb].FirstOrDefault(t => t.Kind == kind) : null)
                   ?? (row.TvdbId is { } tvdb ? index.ByTvdb[tvdb].FirstOrDefault(t => t.Kind == kind) : null);
        if (byId is not null)
        {
            if (!wantsEpisode) return Decide([new Outcome(byId, null, 1.0, [], null)], row);
            var reading = new Reading("episode", byId.Title, row.Season, row.Episode, row.EpisodeTitle, 1.0);
            var (ep, conf, cands, why) = FindEpisode(byId, reading, index, row);
            return Decide([new Outcome(byId, ep, conf, cands, why)], row);
        }

        // 2. Titles (and episodes) by name, every reading of the row.
        var outcomes = row.EffectiveReadings.Select(r => ByName(r, row.Year, index, row)).ToList();
        if (outcomes.Count == 0) return new MatchResult("review", null, null, 0, "The row names no title.", []);
        return Decide(outcomes, row);
    }

    static MatchResult Decide(List<Outcome> outcomes, ImportRow row)
    {
        var sure = outcomes.Where(o => o.Title is not null && o.Confidence >= AutoThreshold)
            .GroupBy(o => (o.Title!.Id, o.Episode?.Id)).ToList();
        if (sure.Count == 1)
        {
            var best = sure[0].MaxBy(o => o.Confidence)!;
            return new MatchResult("matched", best.Title!.Id, best.Episode?.Id, Math.Round(best.Confidence, 3), null, []);
        }
        var candidates = outcomes.SelectMany(o => o.Title is not null && o.Confidence > 0 ? o.Candidates.Prepend(ToCandidate(o.Title, o.Episode)) : o.Candidates)
            .DistinctBy(c => (c.TitleId, c.EpisodeId)).Take(MaxCandidates).ToList();
        if (sure.Count > 1)
            return new MatchResult("review", null, null, 0.5, $"Ambiguous: {sure.Count} titles fit; pick one.", candidates);
        var top = outcomes.Where(o => o.Title is not null).MaxBy(o => o.Confidence);
        var reason = outcomes.Select(o => o.Why).FirstOrDefault(w => w is not null) ?? "Not confident enough; pick one.";
        return new MatchResult("review", null, null, Math.Round(top?.Confidence ?? 0, 3), reason, candidates);
    }

    static Outcome ByName(Reading reading, int? year, Index index, ImportRow row)
    {
        var key = Normalize.MatchKey(reading.Title);
        var kind = reading.Kind == "movie" ? "movie" : "series";
        var all = index.ByKey[key].Where(t => t.Kind == kind).ToList();
        if (all.Count == 0) return new Outcome(null, null, 0, [], $"No {(kind == "movie" ? "film" : "series")} called '{reading.Title}' in the catalog.");

        List<TitleInfo> fits;
        double titleConfidence;
        if (year is { } y)
        {
            var exact = all.Where(t => t.Year == y).ToList();
            var near = all.Where(t => t.Year is { } ty && Math.Abs(ty - y) == 1).ToList();
            (fits, titleConfidence) = exact.Count > 0 ? (exact, 0.95) : near.Count > 0 ? (near, 0.85) : (all, 0.5);
        }
        else (fits, titleConfidence) = (all, 0.9);

        if (kind == "movie" || reading.Kind == "series")
        {
            if (fits.Count == 1) return new Outcome(fits[0], null, titleConfidence * reading.Weight, [], null);
            return new Outcome(null, null, 0, fits.Select(t => ToCandidate(t)).ToList(), $"{fits.Count} titles called '{reading.Title}'; pick one.");
        }

        // An episode: try it in every series that fits; a single series with the episode settles a shared name.
        var found = new List<Outcome>();
        var candidates = new List<Candidate>();
        string? why = null;
        foreach (var series in fits)
        {
            var (ep, conf, cands, w) = FindEpisode(series, reading, index, row);
            if (ep is not null) found.Add(new Outcome(series, ep, Math.Min(titleConfidence, conf) * reading.Weight, [], null));
            candidates.AddRange(cands);
            why ??= w;
        }
        if (found.Count == 1)
        {
            var f = found[0];
            // Two series of the same name, only one with this episode: sure of the series, a little less than a unique name.
            return fits.Count == 1 ? f : f with { Confidence = Math.Min(f.Confidence, 0.85 * reading.Weight) };
        }
        if (found.Count > 1) return new Outcome(null, null, 0, found.Select(o => ToCandidate(o.Title!, o.Episode)).ToList(), $"The episode fits {found.Count} series; pick one.");
        if (fits.Count == 1) return new Outcome(fits[0], null, 0.3, candidates, why);
        return new Outcome(null, null, 0, fits.Select(t => ToCandidate(t)).Concat(candidates).ToList(), why);
    }

    static (EpisodeInfo? Episode, double Confidence, List<Candidate> Candidates, string? Why) FindEpisode(TitleInfo series, Reading r, Index index, ImportRow row)
    {
        var episodes = index.Episodes.GetValueOrDefault(series.Id) ?? [];
        var where = $"'{series.Title}'";
        if (r.Season is { } s && r.Episode is { } n)
        {
            var exact = episodes.FirstOrDefault(e => e.SeasonNumber == s && e.Number == n);
            if (exact is not null) return (exact, 1.0, [], null);
        }
        if (row.EpisodeTvdbId is { } tvdb && episodes.FirstOrDefault(e => e.TvdbId == tvdb) is { } byTvdb) return (byTvdb, 1.0, [], null);
        if (row.EpisodeTmdbId is { } tmdb && episodes.FirstOrDefault(e => e.TmdbId == tmdb) is { } byTmdb) return (byTmdb, 1.0, [], null);
        if (r.EpisodeTitle is { Length: > 0 } title)
        {
            var key = Normalize.MatchKey(title);
            if (key.Length > 0)
            {
                var inSeason = r.Season is { } season ? episodes.Where(e => e.SeasonNumber == season && e.Key == key).ToList() : [];
                if (inSeason.Count == 1) return (inSeason[0], 0.95, [], null);
                var anywhere = episodes.Where(e => e.Key == key).ToList();
                if (anywhere.Count == 1) return (anywhere[0], r.Season is null ? 0.9 : 0.85, [], null);
                if (anywhere.Count > 1)
                    return (null, 0.4, anywhere.Select(e => ToCandidate(series, e)).ToList(), $"{anywhere.Count} episodes of {where} are called '{title}'; pick one.");
            }
            // The same title dressed differently (chapter markers, "osa 2" for "Part 2", articles): in the season when
            // the file names one, else anywhere in the series; a little less sure than the exact title.
            var loose = EpisodeTitles.LooseKey(title);
            if (loose.Length > 0)
            {
                var inSeason = r.Season is { } season ? episodes.Where(e => e.SeasonNumber == season && e.LooseKey == loose).ToList() : [];
                if (inSeason.Count == 1) return (inSeason[0], 0.9, [], null);
                if (r.Season is null)
                {
                    var anywhere = episodes.Where(e => e.LooseKey == loose).ToList();
                    if (anywhere.Count == 1) return (anywhere[0], 0.85, [], null);
                }
            }
        }
        // A number without a season (a one-season show, or "(Episode N)" with a label Netflix alone uses).
        if (r.Episode is { } number)
        {
            var seasons = episodes.Where(e => e.SeasonNumber > 0).Select(e => e.SeasonNumber).Distinct().ToList();
            if (r.Season is null && seasons.Count == 1 && episodes.FirstOrDefault(e => e.SeasonNumber == seasons[0] && e.Number == number) is { } only)
                return (only, 0.85, [], null);
        }
        var near = (r.Season is { } ss ? episodes.Where(e => e.SeasonNumber == ss) : episodes)
            .OrderBy(e => e.SeasonNumber).ThenBy(e => e.Number).Take(MaxCandidates).Select(e => ToCandidate(series, e)).ToList();
        var what = r.Season is { } sn && r.Episode is { } en ? $"S{sn:00}E{en:00}" : r.EpisodeTitle is { } t ? $"'{t}'" : "the episode";
        return (null, 0.3, near, episodes.Count == 0 ? $"The catalog has no episodes of {where}." : $"{where} has no episode {what} in the catalog.");
    }

    /// <summary>Reads the titles and episodes for a review decision (the person may pick any catalog title by id).</summary>
    public static async Task<(string? Kind, long? SeriesOfEpisode)> KindOfAsync(DbConnection conn, long titleId, long? episodeId, CancellationToken ct)
    {
        var kind = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT kind FROM titles WHERE id = @titleId", new { titleId }, cancellationToken: ct));
        if (episodeId is null) return (kind, null);
        var series = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT title_id FROM episodes WHERE id = @episodeId", new { episodeId }, cancellationToken: ct));
        return (kind, series);
    }
}
