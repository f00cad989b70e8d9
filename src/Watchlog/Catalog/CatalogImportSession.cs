using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Catalog;

/// <summary>
/// Writes batches of entries from one source with the catalog's identity rules:
/// <list type="number">
/// <item>a (source, source id) seen before updates its title in place (the source's non-empty fields win);</item>
/// <item>otherwise a title sharing an external id (IMDb, TMDB or TheTVDB, same kind) takes the entry as a merge
///   (stored fields win, the entry fills gaps);</item>
/// <item>otherwise, when exactly one title of the same kind, year and normalized title exists and it came from
///   another source, and no external id contradicts it, the entry merges into it;</item>
/// <item>otherwise the entry becomes a new title.</item>
/// </list>
/// Two different rows of one source never end up in one title: such a row is skipped with the reason. Each batch
/// is one transaction; when the database rejects a batch, its rows are retried one by one so only the bad row
/// is skipped and no title is ever half written. Caches (genres, platforms, people) live as long as the session.
/// </summary>
public sealed class CatalogImportSession
{
    internal readonly Db _db;
    internal readonly TimeProvider _clock;
    internal readonly Dictionary<string, long> _genres = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, long> _platforms = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, long> _people = new(StringComparer.Ordinal);
    /// <summary>Marks the rows this import writes in title_sources, to find ids repeated across batches.</summary>
    internal readonly string _run = Guid.NewGuid().ToString("N");
    const int PeopleCacheLimit = 250_000;

    readonly TitleCache? _titles;

    internal CatalogImportSession(Db db, TimeProvider clock, string source, TitleCache? titles)
    {
        _db = db;
        _clock = clock;
        Source = source;
        _titles = titles;
    }

    /// <summary>A batch's titles aren't known before it resolves them: the title cache is bypassed while it runs.</summary>
    TitleCache.WriteScope? BulkWrite() => _titles?.BeginWrite(null);

    public string Source { get; }

    public async Task<IReadOnlyList<RowResult>> WriteAsync(IReadOnlyList<SourcedEntry> rows, CancellationToken ct)
    {
        var results = new List<RowResult>(rows.Count);
        var valid = new List<SourcedEntry>(rows.Count);
        var inBatch = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var error = EntryRules.Check(row.Entry);
            if (error is null && !inBatch.TryAdd(row.Entry.Id!, row.Line))
                error = $"id '{row.Entry.Id}' already appeared on line {inBatch[row.Entry.Id!]}";
            if (error is null) valid.Add(row);
            else results.Add(new RowResult(row.Line, RowOutcome.Skipped, error, 0));
        }
        if (valid.Count == 0) return results;

        try
        {
            results.AddRange(await WriteCommittedAsync(valid, ct));
        }
        catch (DbException e) when (DbErrors.IsRowProblem(e))
        {
            // Find the row the database refused: one transaction per row, so the others still land whole.
            if (valid.Count == 1)
            {
                results.Add(Refused(valid[0], e));
            }
            else
            {
                foreach (var row in valid)
                {
                    try { results.AddRange(await WriteCommittedAsync([row], ct)); }
                    catch (DbException rowError) when (DbErrors.IsRowProblem(rowError)) { results.Add(Refused(row, rowError)); }
                }
            }
        }
        results.Sort((a, b) => a.Line.CompareTo(b.Line));
        return results;
    }

    async Task<IReadOnlyList<RowResult>> WriteCommittedAsync(List<SourcedEntry> rows, CancellationToken ct)
    {
        var learned = new Learned();
        IReadOnlyList<RowResult> results;
        using (var scope = BulkWrite())
        {
            results = await _db.WriteAsync((conn, tx) => new CatalogBatch(this, new Bulk(conn, tx, _db.Dialect), rows, learned).RunAsync(), ct);
            scope?.Changed(results.Where(r => r.TitleId != 0).Select(r => r.TitleId));
        }
        Search.SearchIndex.Committed();
        // Only after the commit: ids from a rolled-back transaction must never reach the caches.
        foreach (var (k, v) in learned.Genres) _genres[k] = v;
        foreach (var (k, v) in learned.Platforms) _platforms[k] = v;
        // Keys seen recently are the likely next ones; a full cache starts over rather than hold every person of IMDb.
        if (_people.Count + learned.People.Count > PeopleCacheLimit) _people.Clear();
        foreach (var (k, v) in learned.People) _people[k] = v;
        return results;
    }

    /// <summary>
    /// Writes entries inside the caller's transaction (a metadata sync writes a whole title, its people and provider ids
    /// in one). The search index is refreshed in the same transaction; call <see cref="Search.SearchIndex.Committed"/>
    /// after the commit. Nothing is cached, since the transaction may still roll back.
    /// </summary>
    internal Task<IReadOnlyList<RowResult>> WriteInTransactionAsync(DbConnection conn, DbTransaction tx, List<SourcedEntry> rows) =>
        new CatalogBatch(this, new Bulk(conn, tx, _db.Dialect), rows, new Learned()).RunAsync();

    /// <summary>
    /// Stores people by IMDb id (name.basics): new ones are inserted, known ones get the name and years filled in.
    /// Later entries' credits that name only the IMDb id link to them.
    /// </summary>
    public async Task<int> WritePeopleAsync(IReadOnlyList<PersonRecord> people, CancellationToken ct)
    {
        using var scope = BulkWrite();
        return await _db.WriteAsync(async (conn, tx) =>
        {
            var bulk = new Bulk(conn, tx, _db.Dialect);
            var now = _clock.GetUtcNow().UtcDateTime;
            var unique = people.Where(p => p.ImdbId is not null && !string.IsNullOrWhiteSpace(p.Name))
                .GroupBy(p => p.ImdbId!).Select(g => g.Last()).ToList();
            var stored = (await conn.QueryAsync<(long Id, string ImdbId, string Name)>(
                    $"SELECT id, imdb_id, name FROM people WHERE {bulk.InList("imdb_id", "ids")}", new { ids = bulk.ListParam(unique.Select(p => p.ImdbId!).ToList()) }, tx))
                .ToList();
            var known = stored.ToDictionary(x => x.ImdbId, x => x.Id, StringComparer.Ordinal);
            var fresh = unique.Where(p => !known.ContainsKey(p.ImdbId!)).ToList();
            var ids = await bulk.NextIdsAsync("people", fresh.Count);
            await bulk.InsertAsync("people",
                [new("id", "bigint"), new("name", "text"), new("match_key", "text"), new("imdb_id", "text"), new("birth_year", "integer"),
                 new("death_year", "integer"), new("created_at", "timestamptz"), new("updated_at", "timestamptz")],
                fresh.Select((p, i) => new object?[] { ids[i], p.Name!.Trim(), Normalize.MatchKey(p.Name), p.ImdbId, p.BirthYear, p.DeathYear, now, now }).ToList());
            await bulk.UpdateByIdAsync("people",
                [new("id", "bigint"), new("name", "text"), new("match_key", "text"), new("birth_year", "integer"), new("death_year", "integer"), new("updated_at", "timestamptz")],
                [Fill.PreferNew, Fill.PreferNew, Fill.PreferNew, Fill.PreferNew, Fill.PreferNew],
                unique.Where(p => known.ContainsKey(p.ImdbId!))
                    .Select(p => new object?[] { known[p.ImdbId!], p.Name!.Trim(), Normalize.MatchKey(p.Name), p.BirthYear, p.DeathYear, now }).ToList());
            // A renamed person changes the credits of every title naming them.
            var names = unique.ToDictionary(p => p.ImdbId!, p => p.Name!.Trim(), StringComparer.Ordinal);
            var renamed = stored.Where(x => names[x.ImdbId] != x.Name).Select(x => x.Id).ToList();
            scope?.Changed(await TouchTitlesCreditingAsync(conn, tx, bulk, renamed, now));
            return unique.Count;
        }, ct);
    }

    /// <summary>
    /// Moves updated_at of the titles crediting these people (a name shown in their credits changed), so cached title
    /// answers on every node see the change; returns the titles.
    /// </summary>
    internal static async Task<IReadOnlyList<long>> TouchTitlesCreditingAsync(DbConnection conn, DbTransaction tx, Bulk bulk, IReadOnlyList<long> personIds, DateTime now)
    {
        if (personIds.Count == 0) return [];
        return (await conn.QueryAsync<long>(
            $"UPDATE titles SET updated_at = @now WHERE id IN (SELECT title_id FROM credits WHERE {bulk.InList("person_id", "ids")}) RETURNING id",
            new { now, ids = bulk.ListParam(personIds.ToList()) }, tx)).AsList();
    }

    /// <summary>
    /// Adds or updates episodes of series this source imported earlier, found by the series' source id
    /// (IMDb's title.episode names the parent by its tconst). Seasons are created as needed. Episodes whose
    /// series this source doesn't hold are skipped with the reason.
    /// </summary>
    public async Task<IReadOnlyList<RowResult>> WriteEpisodesAsync(IReadOnlyList<SourcedEpisode> episodes, CancellationToken ct)
    {
        using var scope = BulkWrite();
        return await _db.WriteAsync<IReadOnlyList<RowResult>>(async (conn, tx) =>
        {
            var bulk = new Bulk(conn, tx, _db.Dialect);
            var now = _clock.GetUtcNow().UtcDateTime;
            var parents = (await conn.QueryAsync<(string SourceId, long TitleId, string Kind)>(
                    $"SELECT s.source_id, s.title_id, t.kind FROM title_sources s JOIN titles t ON t.id = s.title_id WHERE s.source = @source AND {bulk.InList("s.source_id", "ids")}",
                    new { source = Source, ids = bulk.ListParam(episodes.Select(e => e.ParentSourceId).Distinct().ToList()) }, tx))
                .ToDictionary(x => x.SourceId, x => (x.TitleId, x.Kind), StringComparer.Ordinal);

            var results = new List<RowResult>(episodes.Count);
            var accepted = new Dictionary<(long, int, int), (SourcedEpisode Episode, long TitleId)>();
            var resultOf = new Dictionary<(long, int, int), int>();
            foreach (var e in episodes)
            {
                string? reason = null;
                if (!parents.TryGetValue(e.ParentSourceId, out var parent)) reason = $"its series {e.ParentSourceId} is not in the catalog from this source";
                else if (parent.Kind != "series") reason = $"{e.ParentSourceId} is a movie, not a series";
                else if (e.Season is < 0 or > 10_000 || e.Episode.Number is not (>= 0 and <= 100_000)) reason = "season and episode numbers must be 0 or more";
                else if (e.Episode.RuntimeMin is < 0 or > 2000) reason = "runtime_min must be between 0 and 2000";
                else if (e.Episode.ImdbId is { } id && !EntryRules.IsImdbTitleId(id)) reason = $"imdb id '{id}' must look like tt0959621";
                if (reason is not null) { results.Add(new RowResult(e.Line, RowOutcome.Skipped, reason, 0)); continue; }
                var key = (parent.TitleId, e.Season, e.Episode.Number!.Value);
                if (resultOf.TryGetValue(key, out var earlier)) // the last of duplicates wins; the earlier one is reported as not written
                    results[earlier] = new RowResult(results[earlier].Line, RowOutcome.Skipped,
                        $"episode S{e.Season}E{e.Episode.Number} of {e.ParentSourceId} appears again on line {e.Line}", 0);
                accepted[key] = (e, parent.TitleId);
                resultOf[key] = results.Count;
                results.Add(new RowResult(e.Line, RowOutcome.Updated, null, parent.TitleId));
            }

            var seasonIds = (await bulk.InsertReturningAsync("seasons", [new("title_id", "bigint"), new("number", "integer")],
                    accepted.Keys.Select(k => (k.Item1, k.Item2)).Distinct().Select(k => new object?[] { k.Item1, k.Item2 }).ToList(),
                    "ON CONFLICT (title_id, number) DO UPDATE SET number = excluded.number RETURNING id, title_id, number",
                    r => (Id: r.GetInt64(0), TitleId: r.GetInt64(1), Number: r.GetInt32(2))))
                .ToDictionary(x => (x.TitleId, x.Number), x => x.Id);
            await ReleaseMovedImdbIdsAsync(conn, tx, bulk, accepted.Values.Select(a => a.Episode.Episode.ImdbId));
            await bulk.InsertAsync("episodes",
                [new("title_id", "bigint"), new("season_id", "bigint"), new("season_number", "integer"), new("number", "integer"),
                 new("title", "text"), new("air_date", "date"), new("runtime_min", "integer"), new("imdb_id", "text"),
                 new("created_at", "timestamptz"), new("updated_at", "timestamptz")],
                accepted.Select(a => new object?[] { a.Key.Item1, seasonIds[(a.Key.Item1, a.Key.Item2)], a.Key.Item2, a.Key.Item3,
                    a.Value.Episode.Episode.Title, a.Value.Episode.Episode.AirDate, a.Value.Episode.Episode.RuntimeMin, a.Value.Episode.Episode.ImdbId, now, now }).ToList(),
                "ON CONFLICT (title_id, season_number, number) DO UPDATE SET title = COALESCE(excluded.title, episodes.title), " +
                "air_date = COALESCE(excluded.air_date, episodes.air_date), runtime_min = COALESCE(excluded.runtime_min, episodes.runtime_min), " +
                "imdb_id = COALESCE(excluded.imdb_id, episodes.imdb_id), updated_at = excluded.updated_at");
            // A series whose episodes change is itself changed: readers that keep answers per title (progress) go by its updated_at.
            var touched = accepted.Values.Select(a => a.TitleId).Distinct().ToList();
            await conn.ExecuteAsync($"UPDATE titles SET updated_at = @now WHERE {bulk.InList("id", "ids")}",
                new { now, ids = bulk.ListParam(touched) }, tx);
            scope?.Changed(touched);
            return results;
        }, ct);
    }

    /// <summary>
    /// When a provider renumbers episodes, an IMDb id moves from one (season, number) to another. The ids about to be
    /// written are first taken from whichever episodes hold them; the upsert then gives each to its new place.
    /// </summary>
    internal static async Task ReleaseMovedImdbIdsAsync(DbConnection conn, DbTransaction tx, Bulk bulk, IEnumerable<string?> imdbIds)
    {
        var ids = imdbIds.OfType<string>().Distinct().ToList();
        if (ids.Count == 0) return;
        await conn.ExecuteAsync($"UPDATE episodes SET imdb_id = NULL WHERE {bulk.InList("imdb_id", "ids")}", new { ids = bulk.ListParam(ids) }, tx);
    }

    static RowResult Refused(SourcedEntry row, DbException e) =>
        new(row.Line, RowOutcome.Skipped, $"the database refused it: {e.Message}", 0);

    internal sealed class Learned
    {
        public Dictionary<string, long> Genres { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Platforms { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> People { get; } = new(StringComparer.Ordinal);
    }
}
