using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Watchlog.Data;

namespace Watchlog.Search;

/// <summary>Filters that restrict which titles may match, whatever the words.</summary>
public sealed record SearchFilter(string? Kind = null, string? Region = null, string? GenreFacet = null, string? PlatformFacet = null,
    int? YearFrom = null, int? YearTo = null, int? RuntimeMax = null)
{
    /// <summary>Facet tokens a title must all have.</summary>
    public IEnumerable<string> Required()
    {
        if (Kind is not null) yield return "k" + Kind;
        if (GenreFacet is not null) yield return GenreFacet;
        if (PlatformFacet is not null) yield return PlatformFacet;
    }

    /// <summary>The region facets of which a title needs one: its own region, or no region information at all.</summary>
    public string[]? Regions => Region is null ? null : ["r" + Region.ToLowerInvariant(), "rglobal"];

    public bool Accepts(Candidate c) =>
        Required().All(c.HasFacet) && (Regions is not { } rs || rs.Any(c.HasFacet))
        && (YearFrom is null || c.Year >= YearFrom) && (YearTo is null || c.Year <= YearTo) && (RuntimeMax is null || c.RuntimeMin <= RuntimeMax);
}

/// <summary>
/// Finds candidates in the index, most popular first, stopping after <c>limit</c>: FTS5 reads its doclists in rowid
/// (= rank) order; PostgreSQL either walks the rank index checking each row (common words) or intersects the GIN
/// indexes and sorts (rare words), as its planner estimates. Never scores every match of a common prefix.
/// </summary>
public sealed class SearchStore(Db db, RankBuckets buckets)
{
    const string Columns = """
        d.rank, d.title_id, d.kind, d.year, d.runtime_min, d.popularity, d.title, d.exact_key, d.title_key, d.alt_key, d.people_key,
        d.network_key, d.network, d.poster, d.genres, d.platforms, d.facets
        """;

    public enum Fields { Titles, Named, Overview }

    /// <summary>
    /// Candidates of one tier, most popular first, at most <paramref name="limit"/>. The title tier also brings, in the
    /// same statement, titles whose whole normalized title is one of <paramref name="exactKeys"/> however unpopular
    /// (marked <see cref="Candidate.ExactHit"/>, not counted in the limit, filtered by the caller).
    /// </summary>
    public async Task<List<Candidate>> FindAsync(DbConnection conn, SearchQuery q, Fields fields, SearchFilter filter, int limit,
        CancellationToken ct, IReadOnlyList<string>? exactKeys = null)
    {
        var exact = fields == Fields.Titles && exactKeys is { Count: > 0 } ? exactKeys.Distinct().ToArray() : null;
        if (db.Dialect == Dialect.Sqlite)
        {
            var facets = FacetMatch(filter);
            var reads = fields switch
            {
                Fields.Titles => [("search_fts", q.Fts5("title_key alt_key"))],
                Fields.Named => new[] { ("search_fts", q.Fts5("title_key alt_key network_key")), ("search_people", q.ForMore().Fts5("people_key", minPrefix: 4)) },
                // People have a prefix index for 4 letters; overviews none (a prefix there reads every word that starts
                // with it): in both only a last word of 4+ letters is a prefix, and a shorter one is left out.
                _ => [("search_more", q.ForMore().Fts5("people_key overview_key", minPrefix: 4))],
            };
            // One statement even when two tables are read: each statement costs a round through the pool.
            var sql = string.Join("\nUNION ALL\n", reads.Select((r, i) => $"""
                SELECT * FROM (SELECT {Columns}, 0 AS exact_hit FROM {r.Item1} f JOIN search_docs d ON d.rank = f.rowid
                WHERE {r.Item1} MATCH @match{i}{RangeConditions(filter)}{SqliteRegion(filter)}
                ORDER BY f.rowid LIMIT @limit)
                """));
            if (exact is not null)
                sql += $"\nUNION ALL\nSELECT * FROM (SELECT {Columns}, 1 AS exact_hit FROM search_docs d WHERE d.exact_key IN (SELECT value FROM json_each(@exact)) ORDER BY d.rank LIMIT {ExactLimit})";
            var args = SqliteArgs(filter, limit);
            args.Add(("@exact", exact is null ? null : SqliteStatements.JsonArray(exact)));
            for (var i = 0; i < reads.Length; i++) args.Add(("@match" + i, reads[i].Item2 + facets));
            args.Add(("@region", filter.Region is { } reg ? $" r{reg.ToLowerInvariant()} " : null));
            var found = SqliteStatements.Query((SqliteConnection)conn, sql, args, ReadCandidate);
            return reads.Length == 1 ? found : found.DistinctBy(c => c.Rank).OrderBy(c => c.Rank).Take(limit).ToList();
        }

        // One vector per tier: the index returns only titles that can match, so no heap row is fetched to be rejected.
        var (vector, tsquery) = fields switch
        {
            Fields.Titles => ("titles", q.TsQuery("")),
            Fields.Named => ("doc", q.TsQuery("ABD")),
            _ => ("overview", q.ForMore().TsQuery("", minPrefix: 4)),
        };
        var people = fields == Fields.Named ? q.ForMore().TsQuery("C", minPrefix: 4) : null;
        var required = filter.Required().ToArray();
        // Facets as function calls, which no index serves: a region's facet bitmap holds a third of the catalog, and
        // ANDing it costs more than checking the rows the words leave.
        var filters = (required.Length > 0 ? " AND arraycontains(d.facets, @required)" : "")
            + (filter.Regions is not null ? " AND arrayoverlap(d.facets, @regions)" : "") + RangeConditions(filter);
        var pgColumns = Columns.Replace("d.facets", "array_to_string(d.facets, ' ') AS facets", StringComparison.Ordinal);
        var bounds = await buckets.BoundsAsync(conn, ct);
        var parts = new List<string>(bounds.Length + 1);
        for (var i = 0; i <= bounds.Length; i++)
        {
            var range = (i > 0 ? $" AND d.rank >= @b{i - 1}" : "") + (i < bounds.Length ? $" AND d.rank < @b{i}" : "");
            // The first bucket is left to the planner (it walks the rank index for a common word, which fills the page
            // in the first rows, and can walk no further than the bucket when it misjudges a rare one); the others
            // intersect the tier's GIN index with their rank range and sort the few rows left (ORDER BY rank + 0 keeps
            // the planner from walking them).
            var match = $"d.{vector} @@ to_tsquery('simple', @match)" + (people is null ? "" : " OR d.doc @@ to_tsquery('simple', @people)");
            // Overviews never walk: checking a row means detoasting its overview vector, and a walk for a plot word with
            // a region filter checked thousands (40–50 ms at 100k titles); the GIN index and a sort of what it leaves are cheaper.
            var walk = fields != Fields.Overview && (i == 0 || bounds.Length == 0);
            parts.Add($"(SELECT {pgColumns}, false AS exact_hit FROM search_docs d WHERE ({match}){range}{filters} ORDER BY d.rank{(walk ? "" : " + 0")} LIMIT @limit)");
        }
        // Append runs its parts in order and the outer LIMIT stops it: later buckets run only when earlier ones fell short.
        var pg = parts.Count == 1 ? parts[0] : $"(SELECT * FROM ({string.Join("\nUNION ALL\n", parts)}) b LIMIT @limit)";
        if (exact is not null)
            pg += $"\nUNION ALL\n(SELECT {pgColumns}, true AS exact_hit FROM search_docs d WHERE d.exact_key = ANY(@exact) ORDER BY d.rank LIMIT {ExactLimit})";
        var p = Params(filter, tsquery, limit);
        p.Add("people", people);
        p.Add("required", required);
        p.Add("regions", filter.Regions);
        p.Add("exact", exact);
        for (var i = 0; i < bounds.Length; i++) p.Add("b" + i, bounds[i]);
        return (await conn.QueryAsync<Candidate>(new CommandDefinition(pg, p, cancellationToken: ct))).ToList();
    }

    /// <summary>Titles found by their whole title beyond the popularity window, at most.</summary>
    public const int ExactLimit = 50;

    /// <summary>
    /// SQLite: ranks of titles whose people and overview words hold every term, most popular first, taking only those
    /// <paramref name="accept"/> passes (the in-process index checks the filters) until <paramref name="limit"/>. Reads
    /// FTS5 rowids alone, so a title the filters reject costs no row read.
    /// </summary>
    public static List<long> OverviewRanks(SqliteConnection conn, SearchQuery q, SearchFilter filter, Func<long, bool> accept, int limit)
    {
        var ranks = new List<long>();
        // Kind, genre and platform stay in the MATCH (FTS5 intersects their doclists, so a filter that rejects almost
        // every title never walks a common word's whole doclist); region, years and runtime are checked in memory.
        SqliteStatements.Each(conn, "SELECT rowid FROM search_more WHERE search_more MATCH @match ORDER BY rowid",
            [("@match", q.ForMore().Fts5("people_key overview_key", minPrefix: 4) + FacetMatch(filter))], s =>
            {
                var rank = raw.sqlite3_column_int64(s, 0);
                if (accept(rank)) ranks.Add(rank);
                return ranks.Count < limit;
            });
        return ranks;
    }

    /// <summary>The rows of titles the in-process index found, by rank (in no particular order).</summary>
    public async Task<List<Candidate>> FetchAsync(DbConnection conn, IReadOnlyCollection<long> ranks, CancellationToken ct)
    {
        if (db.Dialect == Dialect.Sqlite)
            return SqliteStatements.Query((SqliteConnection)conn,
                $"SELECT {Columns}, 0 AS exact_hit FROM search_docs d WHERE d.rank IN (SELECT value FROM json_each(@ranks))",
                [("@ranks", SqliteStatements.JsonArray(ranks))], ReadCandidate);
        var pgColumns = Columns.Replace("d.facets", "array_to_string(d.facets, ' ') AS facets", StringComparison.Ordinal);
        return (await conn.QueryAsync<Candidate>(new CommandDefinition(
            $"SELECT {pgColumns}, false AS exact_hit FROM search_docs d WHERE d.rank = ANY(@ranks)",
            new { ranks = ranks.ToArray() }, cancellationToken: ct))).ToList();
    }

    /// <summary>How many titles match in titles, alternate titles and network, or in people (a paged search's total).</summary>
    public async Task<int> CountAsync(DbConnection conn, SearchQuery q, SearchFilter filter, CancellationToken ct)
    {
        if (db.Dialect == Dialect.Sqlite)
        {
            var facets = FacetMatch(filter);
            var sql = $"""
                SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH @match UNION SELECT rowid FROM search_people WHERE search_people MATCH @people) f
                JOIN search_docs d ON d.rank = f.rowid WHERE 1 = 1{RangeConditions(filter)}{SqliteRegion(filter)}
                """;
            var sp = SqliteArgs(filter, 0);
            sp.Add(("@match", q.Fts5("title_key alt_key network_key") + facets));
            sp.Add(("@people", q.Fts5("people_key") + facets));
            sp.Add(("@region", filter.Region is { } reg ? $" r{reg.ToLowerInvariant()} " : null));
            return SqliteStatements.Query((SqliteConnection)conn, sql, sp, s => raw.sqlite3_column_int(s, 0))[0];
        }
        var required = filter.Required().ToArray();
        var pg = $"""
            SELECT count(*) FROM search_docs d WHERE (d.doc @@ to_tsquery('simple', @match) OR d.doc @@ to_tsquery('simple', @people))
            {(required.Length > 0 ? "AND d.facets @> @required" : "")} {(filter.Regions is not null ? "AND d.facets && @regions" : "")}{RangeConditions(filter)}
            """;
        var p = Params(filter, q.TsQuery("ABD"), 0);
        p.Add("people", q.TsQuery("C"));
        p.Add("required", required);
        p.Add("regions", filter.Regions);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(pg, p, cancellationToken: ct));
    }

    /// <summary>Indexed words within one edit of each word (symmetric deletion over search_typos).</summary>
    public async Task<Dictionary<string, IReadOnlyList<string>>> CorrectionsAsync(DbConnection conn, IEnumerable<string> words, CancellationToken ct)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var wanted = words.Where(w => w.Length >= SearchText.TypoMinLength).Distinct().ToList();
        if (wanted.Count == 0) return result;
        var variants = wanted.SelectMany(SearchText.Variants).Distinct().ToArray();
        var terms = db.Dialect == Dialect.Sqlite
            ? SqliteStatements.Query((SqliteConnection)conn, "SELECT DISTINCT term FROM search_typos WHERE variant IN (SELECT value FROM json_each(@variants))",
                [("@variants", SqliteStatements.JsonArray(variants))], s => SqliteStatements.Text(s, 0))
            : (await conn.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT term FROM search_typos WHERE variant = ANY(@variants)",
                new { variants }, cancellationToken: ct))).ToList();
        foreach (var w in wanted)
        {
            // Closest first: the same length (a substitution or a swap), then the rest; a handful is plenty.
            var found = terms.Where(t => t != w && SearchText.WithinOneEdit(w, t))
                .OrderBy(t => Math.Abs(t.Length - w.Length)).ThenBy(t => t, StringComparer.Ordinal).Take(8).ToList();
            if (found.Count > 0) result[w] = found;
        }
        return result;
    }

    /// <summary>A typical episode's runtime (the median) for series that have no runtime of their own.</summary>
    public async Task<Dictionary<long, int>> EpisodeRuntimesAsync(DbConnection conn, IReadOnlyCollection<long> seriesIds, CancellationToken ct)
    {
        if (seriesIds.Count == 0) return [];
        var rows = db.Dialect == Dialect.Sqlite
            ? SqliteStatements.Query((SqliteConnection)conn,
                "SELECT title_id, runtime_min FROM episodes WHERE title_id IN (SELECT value FROM json_each(@ids)) AND runtime_min > 0",
                [("@ids", SqliteStatements.JsonArray(seriesIds))], s => (TitleId: raw.sqlite3_column_int64(s, 0), RuntimeMin: raw.sqlite3_column_int(s, 1)))
            : (await conn.QueryAsync<(long TitleId, int RuntimeMin)>(new CommandDefinition(
                "SELECT title_id, runtime_min FROM episodes WHERE title_id = ANY(@ids) AND runtime_min > 0",
                new { ids = seriesIds.ToArray() }, cancellationToken: ct))).ToList();
        return rows.GroupBy(r => r.TitleId).ToDictionary(g => g.Key, g =>
        {
            var sorted = g.Select(r => r.RuntimeMin).Order().ToList();
            return sorted[sorted.Count / 2];
        });
    }

    static string FacetMatch(SearchFilter filter)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var f in filter.Required()) sb.Append(" AND {facets} : \"").Append(f).Append('"');
        return sb.ToString();
    }

    /// <summary>
    /// The region test on the joined row, not in the FTS query: a region's facet doclist holds a third of the catalog,
    /// and intersecting it costs more than checking the few rows the words leave (titles with no region are GLOBAL).
    /// </summary>
    static string SqliteRegion(SearchFilter filter) => filter.Region is null ? ""
        : " AND (instr(d.facets || ' ', @region) > 0 OR instr(d.facets || ' ', ' rglobal ') > 0)";

    static string RangeConditions(SearchFilter filter) =>
        (filter.YearFrom is null ? "" : " AND d.year >= @yearFrom") + (filter.YearTo is null ? "" : " AND d.year <= @yearTo")
        + (filter.RuntimeMax is null ? "" : " AND d.runtime_min <= @runtimeMax");

    static List<(string, object?)> SqliteArgs(SearchFilter filter, int limit) =>
        [("@limit", limit), ("@yearFrom", filter.YearFrom), ("@yearTo", filter.YearTo), ("@runtimeMax", filter.RuntimeMax)];

    /// <summary>A row of <see cref="Columns"/> plus exact_hit, read from a SQLite statement.</summary>
    static Candidate ReadCandidate(sqlite3_stmt s) => new()
    {
        Rank = raw.sqlite3_column_int64(s, 0),
        TitleId = raw.sqlite3_column_int64(s, 1),
        Kind = SqliteStatements.Text(s, 2),
        Year = SqliteStatements.IntOrNull(s, 3),
        RuntimeMin = SqliteStatements.IntOrNull(s, 4),
        Popularity = raw.sqlite3_column_double(s, 5),
        Title = SqliteStatements.Text(s, 6),
        ExactKey = SqliteStatements.Text(s, 7),
        TitleKey = SqliteStatements.Text(s, 8),
        AltKey = SqliteStatements.Text(s, 9),
        PeopleKey = SqliteStatements.Text(s, 10),
        NetworkKey = SqliteStatements.Text(s, 11),
        Network = SqliteStatements.TextOrNull(s, 12),
        Poster = SqliteStatements.TextOrNull(s, 13),
        Genres = SqliteStatements.Text(s, 14),
        Platforms = SqliteStatements.Text(s, 15),
        Facets = SqliteStatements.Text(s, 16),
        ExactHit = raw.sqlite3_column_int(s, 17) != 0,
    };

    static DynamicParameters Params(SearchFilter filter, string match, int limit)
    {
        var p = new DynamicParameters();
        p.Add("match", match);
        p.Add("limit", limit);
        p.Add("yearFrom", filter.YearFrom);
        p.Add("yearTo", filter.YearTo);
        p.Add("runtimeMax", filter.RuntimeMax);
        return p;
    }
}
