using System.Data.Common;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.Search;

/// <summary>
/// Writes the search index for a set of titles from the catalog tables, inside the caller's transaction. Catalog writes
/// call it once per batch with every title the batch touched, so a bulk import costs a handful of set-based reads and
/// one insert per title rather than triggers firing per side-table row. See docs/search.md.
/// </summary>
public static class SearchIndex
{
    /// <summary>Credits beyond this many per title don't make the title findable by that person's name.</summary>
    const int PeoplePerTitle = 30;
    const int OverviewChars = 2000;
    static long _localVersion;

    /// <summary>Bumped after every committed index write in this process (other processes are seen via search_meta).</summary>
    public static long LocalVersion => Interlocked.Read(ref _localVersion);

    /// <summary>Call after the transaction that ran <see cref="RefreshAsync"/> has committed.</summary>
    public static void Committed() => Interlocked.Increment(ref _localVersion);

    /// <summary>
    /// The rank of a title: most popular first, then by id. It is the rowid of the FTS tables and the order candidates
    /// are read in, so a query can stop after the first K matches. log(1 + popularity) keeps 5 significant digits.
    /// </summary>
    public static long Rank(double popularity, long titleId)
    {
        const long buckets = (1L << 30) - 1;
        var p = double.IsFinite(popularity) && popularity > 0 ? popularity : 0;
        var bucket = (long)Math.Clamp(Math.Round(Math.Log(1 + p) * 20_000), 0, buckets);
        return ((buckets - bucket) << 32) | (titleId & 0xFFFF_FFFF);
    }

    sealed class TitleRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string? OriginalTitle { get; init; }
        public int? Year { get; init; }
        public int? RuntimeMin { get; init; }
        public string? Network { get; init; }
        public double Popularity { get; init; }
        public string? Poster { get; init; }
        public string? Overview { get; init; }
    }

    internal sealed record Doc(
        long Rank, long TitleId, string Kind, int? Year, int? RuntimeMin, double Popularity, string Title, string ExactKey,
        string TitleKey, string AltKey, string PeopleKey, string NetworkKey, string? Network, string? Poster, string Genres,
        string Platforms, string Facets, string OverviewKey, string TypoWords);

    /// <summary>Versions of the change log kept (a process further behind reads the whole index again).</summary>
    public const int ChangesKept = 512;

    public static async Task RefreshAsync(DbConnection conn, DbTransaction tx, Dialect dialect, IReadOnlyCollection<long> titleIds)
    {
        if (titleIds.Count == 0) return;
        var bulk = new Bulk(conn, tx, dialect);
        var ids = bulk.ListParam(titleIds);
        var p = new { ids };
        // The version first: on PostgreSQL the row lock orders concurrent index writers, so versions commit in order and
        // a reader that sees version V sees every change logged up to V.
        var version = await conn.ExecuteScalarAsync<long>("UPDATE search_meta SET version = version + 1 WHERE id = 1 RETURNING version", transaction: tx);
        await bulk.InsertAsync("search_changes", [new("version", "bigint"), new("title_id", "bigint")],
            titleIds.Distinct().Select(id => new object?[] { version, id }).ToList());
        if (version % 64 == 0)
            await conn.ExecuteAsync("""
                DELETE FROM search_changes WHERE version <= @cut;
                UPDATE search_meta SET changes_after = @cut WHERE id = 1 AND changes_after < @cut;
                """, new { cut = version - ChangesKept }, tx);

        var titles = (await conn.QueryAsync<TitleRow>(
            $"SELECT id, kind, title, original_title, year, runtime_min, network, popularity, poster, overview FROM titles WHERE {bulk.InList("id", "ids")}",
            p, tx)).ToList();
        var aliases = (await conn.QueryAsync<(long TitleId, string Title)>(
            $"SELECT title_id, title FROM title_aliases WHERE {bulk.InList("title_id", "ids")} ORDER BY title_id, id", p, tx)).ToLookup(a => a.TitleId, a => a.Title);
        var people = (await conn.QueryAsync<(long TitleId, string Name)>(
            $"""
            SELECT c.title_id, pe.name FROM credits c JOIN people pe ON pe.id = c.person_id
            WHERE {bulk.InList("c.title_id", "ids")} AND c.ord < {PeoplePerTitle} ORDER BY c.title_id, c.ord
            """, p, tx)).ToLookup(c => c.TitleId, c => c.Name);
        var genres = (await conn.QueryAsync<(long TitleId, string Slug, string Name)>(
            $"SELECT tg.title_id, g.slug, g.name FROM title_genres tg JOIN genres g ON g.id = tg.genre_id WHERE {bulk.InList("tg.title_id", "ids")} ORDER BY tg.title_id, g.name",
            p, tx)).ToLookup(g => g.TitleId);
        var regions = (await conn.QueryAsync<(long TitleId, string Region)>(
            $"SELECT title_id, region FROM title_regions WHERE {bulk.InList("title_id", "ids")}", p, tx)).ToLookup(r => r.TitleId, r => r.Region);
        var platforms = (await conn.QueryAsync<(long TitleId, string Region, string Slug, string Name)>(
            $"""
            SELECT a.title_id, a.region, pl.slug, pl.name FROM availability a JOIN platforms pl ON pl.id = a.platform_id
            WHERE {bulk.InList("a.title_id", "ids")} ORDER BY a.title_id, a.id
            """, p, tx)).ToLookup(a => a.TitleId);

        var docs = new List<Doc>(titles.Count);
        foreach (var t in titles)
        {
            var alt = new List<string?>();
            if (!string.IsNullOrWhiteSpace(t.OriginalTitle) && SearchText.Key(t.OriginalTitle) != SearchText.Key(t.Title)) alt.Add(t.OriginalTitle);
            alt.AddRange(aliases[t.Id]);
            var facets = new StringBuilder("k").Append(t.Kind);
            var regionSet = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var r in regions[t.Id]) regionSet.Add(r.ToLowerInvariant());
            foreach (var a in platforms[t.Id]) regionSet.Add(a.Region.ToLowerInvariant());
            if (regionSet.Count == 0) facets.Append(" rglobal");
            foreach (var r in regionSet) facets.Append(" r").Append(r);
            foreach (var g in genres[t.Id]) facets.Append(' ').Append(GenreFacet(g.Slug));
            foreach (var slug in platforms[t.Id].Select(a => a.Slug).Distinct()) facets.Append(' ').Append(PlatformFacet(slug));
            var overview = t.Overview is { Length: > OverviewChars } o ? o[..OverviewChars] : t.Overview;
            docs.Add(new Doc(
                Rank(t.Popularity, t.Id), t.Id, t.Kind, t.Year, t.RuntimeMin, t.Popularity, t.Title, SearchText.Key(t.Title),
                SearchText.TitleKey(t.Title), SearchText.ListKey(alt.Select(SearchText.TitleKey)),
                SearchText.ListKey(people[t.Id]), SearchText.TitleKey(t.Network), t.Network, t.Poster,
                string.Join('|', genres[t.Id].Select(g => g.Name)),
                string.Join('|', platforms[t.Id].Select(a => $"{a.Region}:{a.Name}").Distinct()),
                facets.ToString(), SearchText.ListKey([overview], maxTokens: 600),
                SearchText.ListKey(alt.Prepend(t.Title).Append(t.Network))));
        }

        if (dialect == Dialect.Sqlite) await WriteSqliteAsync((SqliteConnection)conn, (SqliteTransaction)tx, bulk, ids, docs);
        else await WritePostgresAsync((NpgsqlConnection)conn, (NpgsqlTransaction)tx, docs);
        await WriteTermsAsync(conn, tx, bulk, docs);
    }

    public static string GenreFacet(string slug) => "g" + slug.Replace("-", "", StringComparison.Ordinal);
    public static string PlatformFacet(string slug) => "p" + slug.Replace("-", "", StringComparison.Ordinal);

    static async Task WriteSqliteAsync(SqliteConnection conn, SqliteTransaction tx, Bulk bulk, object ids, List<Doc> docs)
    {
        var old = (await conn.QueryAsync<long>($"SELECT rank FROM search_docs WHERE {bulk.InList("title_id", "ids")}", new { ids }, tx)).ToList();
        if (old.Count > 0)
        {
            var ranks = new { ranks = bulk.ListParam(old) };
            // External content: the FTS index forgets a row by being told the text it indexed, read from search_docs.
            // Every search_docs row is in all three FTS tables (a 'delete' of a row an FTS index doesn't hold corrupts it).
            await conn.ExecuteAsync($"""
                INSERT INTO search_fts (search_fts, rowid, title_key, alt_key, network_key, facets)
                SELECT 'delete', rank, title_key, alt_key, network_key, facets FROM search_docs WHERE {bulk.InList("rank", "ranks")}
                """, ranks, tx);
            await conn.ExecuteAsync($"""
                INSERT INTO search_more (search_more, rowid, people_key, overview_key, facets)
                SELECT 'delete', rank, people_key, overview_key, facets FROM search_docs WHERE {bulk.InList("rank", "ranks")}
                """, ranks, tx);
            await conn.ExecuteAsync($"""
                INSERT INTO search_people (search_people, rowid, people_key, facets)
                SELECT 'delete', rank, people_key, facets FROM search_docs WHERE {bulk.InList("rank", "ranks")}
                """, ranks, tx);
            await conn.ExecuteAsync($"DELETE FROM search_docs WHERE {bulk.InList("rank", "ranks")}", ranks, tx);
        }

        using var doc = Prepared(conn, tx, """
            INSERT INTO search_docs (rank, title_id, kind, year, runtime_min, popularity, title, exact_key, title_key, alt_key, people_key,
                                     network_key, network, poster, genres, platforms, facets, overview_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            """, 18);
        foreach (var d in docs)
            Run(doc, d.Rank, d.TitleId, d.Kind, d.Year, d.RuntimeMin, d.Popularity, d.Title, d.ExactKey, d.TitleKey, d.AltKey, d.PeopleKey,
                d.NetworkKey, d.Network, d.Poster, d.Genres, d.Platforms, d.Facets, d.OverviewKey);

        // One INSERT … SELECT per FTS table and batch from the rows just written: measured on the 20k catalog, row-by-row
        // FTS inserts through the writer cost about twice as much, and passing the text as one JSON array far more.
        var ranksJson = bulk.ListParam(docs.Select(d => d.Rank).ToList());
        await conn.ExecuteAsync($"""
            INSERT INTO search_fts (rowid, title_key, alt_key, network_key, facets)
            SELECT rank, title_key, alt_key, network_key, facets FROM search_docs WHERE {bulk.InList("rank", "ranks")}
            """, new { ranks = ranksJson }, tx);
        await conn.ExecuteAsync($"""
            INSERT INTO search_more (rowid, people_key, overview_key, facets)
            SELECT rank, people_key, overview_key, facets FROM search_docs
            WHERE {bulk.InList("rank", "ranks")}
            """, new { ranks = ranksJson }, tx);
        await conn.ExecuteAsync($"""
            INSERT INTO search_people (rowid, people_key, facets)
            SELECT rank, people_key, facets FROM search_docs WHERE {bulk.InList("rank", "ranks")}
            """, new { ranks = ranksJson }, tx);
    }

    /// <summary>Titles written since the last compaction after which a bulk import compacts the index.</summary>
    public const int CompactAfter = 1000;

    /// <summary>
    /// After a bulk import: SQLite merges each FTS index into one segment (an import leaves dozens, and every query
    /// reads each of them; merged, a title-tier read takes half the time); PostgreSQL refreshes the planner's
    /// statistics of the index table. Costs seconds at a million titles, so only bulk imports call it.
    /// </summary>
    public static Task CompactAsync(Db db, CancellationToken ct) => db.Dialect == Dialect.Sqlite
        ? db.WriteAsync(async (conn, tx) =>
        {
            foreach (var table in new[] { "search_fts", "search_more", "search_people" })
                await conn.ExecuteAsync($"INSERT INTO {table} ({table}) VALUES ('optimize')", transaction: tx);
        }, ct)
        : db.WriteAsync((conn, tx) => conn.ExecuteAsync("ANALYZE search_docs", transaction: tx), ct);

    static SqliteCommand Prepared(SqliteConnection conn, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 1; i <= parameters; i++) cmd.Parameters.Add(new SqliteParameter("$" + i, null));
        cmd.Prepare();
        return cmd;
    }

    static void Run(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        cmd.ExecuteNonQuery();
    }

    static async Task WritePostgresAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<Doc> docs)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            DELETE FROM search_docs WHERE title_id = ANY(@title_id);
            INSERT INTO search_docs (rank, title_id, kind, year, runtime_min, popularity, title, exact_key, title_key, alt_key, people_key,
                                     network_key, network, poster, genres, platforms, facets, doc, titles, overview)
            SELECT u.rank, u.title_id, u.kind, u.year, u.runtime_min, u.popularity, u.title, u.exact_key, u.title_key, u.alt_key, u.people_key,
                   u.network_key, u.network, u.poster, u.genres, u.platforms, string_to_array(u.facets, ' '),
                   setweight(to_tsvector('simple', u.title_key), 'A') || setweight(to_tsvector('simple', u.alt_key), 'B') ||
                   setweight(to_tsvector('simple', u.people_key), 'C') || setweight(to_tsvector('simple', u.network_key), 'D'),
                   strip(to_tsvector('simple', u.title_key || ' ' || u.alt_key)),
                   to_tsvector('simple', u.people_key || ' ' || u.overview_key)
            FROM unnest(@rank, @title_id, @kind, @year, @runtime_min, @popularity, @title, @exact_key, @title_key, @alt_key, @people_key,
                        @network_key, @network, @poster, @genres, @platforms, @facets, @overview_key)
                 AS u(rank, title_id, kind, year, runtime_min, popularity, title, exact_key, title_key, alt_key, people_key,
                      network_key, network, poster, genres, platforms, facets, overview_key)
            """;
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("rank", docs.Select(d => d.Rank).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("title_id", docs.Select(d => d.TitleId).ToArray()));
        Text(cmd, "kind", docs.Select(d => d.Kind));
        cmd.Parameters.Add(new NpgsqlParameter("year", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = docs.Select(d => (object?)d.Year ?? DBNull.Value).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("runtime_min", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = docs.Select(d => (object?)d.RuntimeMin ?? DBNull.Value).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<double[]>("popularity", docs.Select(d => d.Popularity).ToArray()));
        Text(cmd, "title", docs.Select(d => d.Title));
        Text(cmd, "exact_key", docs.Select(d => d.ExactKey));
        Text(cmd, "title_key", docs.Select(d => d.TitleKey));
        Text(cmd, "alt_key", docs.Select(d => d.AltKey));
        Text(cmd, "people_key", docs.Select(d => d.PeopleKey));
        Text(cmd, "network_key", docs.Select(d => d.NetworkKey));
        Text(cmd, "network", docs.Select(d => d.Network));
        Text(cmd, "poster", docs.Select(d => d.Poster));
        Text(cmd, "genres", docs.Select(d => d.Genres));
        Text(cmd, "platforms", docs.Select(d => d.Platforms));
        Text(cmd, "facets", docs.Select(d => d.Facets));
        Text(cmd, "overview_key", docs.Select(d => d.OverviewKey));
        await cmd.ExecuteNonQueryAsync();
    }

    static void Text(NpgsqlCommand cmd, string name, IEnumerable<string?> values) =>
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() });

    /// <summary>New words of 4+ letters in titles, alternate titles and networks (as written, not the joined forms) join the typo table with their one-letter deletions. Words are
    /// never removed: a stale one can only suggest a correction that then matches nothing.</summary>
    static async Task WriteTermsAsync(DbConnection conn, DbTransaction tx, Bulk bulk, List<Doc> docs)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in docs)
            foreach (var w in d.TypoWords.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (w.Length >= SearchText.TypoMinLength - 1 && !IsNumber(w)) words.Add(w);
        if (words.Count == 0) return;
        var known = (await conn.QueryAsync<string>($"SELECT term FROM search_terms WHERE {bulk.InList("term", "words")}",
            new { words = bulk.ListParam(words) }, tx)).ToHashSet(StringComparer.Ordinal);
        var fresh = words.Where(w => !known.Contains(w)).ToList();
        if (fresh.Count == 0) return;
        await bulk.InsertAsync("search_terms", [new("term", "text")], fresh.Select(w => new object?[] { w }).ToList(), "ON CONFLICT DO NOTHING");
        await bulk.InsertAsync("search_typos", [new("variant", "text"), new("term", "text")],
            fresh.SelectMany(w => SearchText.Variants(w).Select(v => new object?[] { v, w })).ToList(), "ON CONFLICT DO NOTHING");
    }

    static bool IsNumber(string w)
    {
        foreach (var c in w) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
