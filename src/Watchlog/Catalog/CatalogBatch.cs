using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Catalog;

/// <summary>
/// One batch of a <see cref="CatalogImportSession"/> inside one transaction: resolves each row's title by the identity
/// rules, then writes titles and their side tables with a few many-row statements.
/// </summary>
sealed class CatalogBatch(CatalogImportSession session, Bulk bulk, List<SourcedEntry> rows, CatalogImportSession.Learned learned)
{
static readonly Col[] TitleCols =
[
    new("id", "bigint"), new("kind", "text"), new("title", "text"), new("original_title", "text"), new("match_key", "text"),
    new("year", "integer"), new("runtime_min", "integer"), new("network", "text"), new("status", "text"),
    new("certification", "text"), new("overview", "text"), new("first_air_date", "date"), new("last_air_date", "date"),
    new("popularity", "double precision"), new("critic_rating", "double precision"), new("critic_votes", "integer"),
    new("audience_rating", "double precision"), new("audience_votes", "integer"), new("poster", "text"), new("backdrop", "text"),
    new("imdb_id", "text"), new("tmdb_id", "integer"), new("tvdb_id", "integer"), new("updated_at", "timestamptz"),
];

    readonly DbConnection _conn = bulk.Connection;
    readonly DbTransaction _tx = bulk.Transaction;
    readonly DateTime _now = session._clock.GetUtcNow().UtcDateTime;
    readonly long[] _target = new long[rows.Count];
    readonly RowOutcome[] _outcome = new RowOutcome[rows.Count];
    readonly string?[] _reason = new string?[rows.Count];

    CatalogEntry E(int i) => rows[i].Entry;
    bool Live(int i) => _reason[i] is null;

    public async Task<IReadOnlyList<RowResult>> RunAsync()
    {
        await ResolveIdentityAsync();
        await WriteTitlesAsync();
        await WriteSourcesAsync();
        await WriteGenresAsync();
        await WriteRegionsAsync();
        await WriteAliasesAsync();
        await WriteCreditsAsync();
        await WriteAvailabilityAsync();
        await WriteSeasonsAsync();
        // The search index reads back what this batch left in the catalog tables (merges included), in the same transaction.
        await Search.SearchIndex.RefreshAsync(_conn, _tx, bulk.Dialect,
            Enumerable.Range(0, rows.Count).Where(Live).Select(i => _target[i]).Distinct().ToList());

        var results = new List<RowResult>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
            results.Add(Live(i)
                ? new RowResult(rows[i].Line, _outcome[i], null, _target[i])
                : new RowResult(rows[i].Line, RowOutcome.Skipped, _reason[i], 0));
        return results;
    }

    // ---------------------------------------------------------------- identity

    async Task ResolveIdentityAsync()
    {
        var source = session.Source;
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        var bySource = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (sourceId, titleId, run) in await _conn.QueryAsync<(string, long, string?)>(
                     $"SELECT source_id, title_id, import_run FROM title_sources WHERE source = @source AND {bulk.InList("source_id", "ids")}",
                     new { source, ids = bulk.ListParam(rows.Select(r => r.Entry.Id!).ToList()) }, _tx))
        {
            if (run == session._run) repeated.Add(sourceId);
            else bySource[sourceId] = titleId;
        }

        var byImdb = new Dictionary<string, (long Id, string Kind)>(StringComparer.Ordinal);
        var imdbIds = rows.Select(r => r.Entry.ExternalIds?.Imdb).OfType<string>().Distinct().ToList();
        if (imdbIds.Count > 0)
            foreach (var t in await _conn.QueryAsync<(long Id, string Kind, string ImdbId)>(
                         $"SELECT id, kind, imdb_id FROM titles WHERE {bulk.InList("imdb_id", "ids")}", new { ids = bulk.ListParam(imdbIds) }, _tx))
                byImdb[t.ImdbId] = (t.Id, t.Kind);
        var byTmdb = await ByProviderIdAsync("tmdb_id", e => e.ExternalIds?.Tmdb);
        var byTvdb = await ByProviderIdAsync("tvdb_id", e => e.ExternalIds?.Tvdb);

        var claimed = new Dictionary<long, int>();            // title → row of this batch that takes it
        var newIds = new Dictionary<string, int>(StringComparer.Ordinal); // external id → new row claiming it
        var mergeCandidates = new HashSet<long>();
        var proposed = new long[rows.Count];

        for (var i = 0; i < rows.Count; i++)
        {
            var e = E(i);
            if (repeated.Contains(e.Id!)) { _reason[i] = $"id '{e.Id}' already appeared earlier in this import"; continue; }
            var ids = new List<(string Label, long Title)>(3);
            if (e.ExternalIds?.Imdb is { } imdb && byImdb.TryGetValue(imdb, out var hit))
            {
                if (hit.Kind != e.Kind) { _reason[i] = $"imdb id {imdb} belongs to a {hit.Kind} (title {hit.Id})"; continue; }
                ids.Add(($"imdb id {imdb}", hit.Id));
            }
            if (e.ExternalIds?.Tmdb is { } tmdb && byTmdb.TryGetValue((e.Kind!, tmdb), out var tm)) ids.Add(($"tmdb id {tmdb}", tm));
            if (e.ExternalIds?.Tvdb is { } tvdb && byTvdb.TryGetValue((e.Kind!, tvdb), out var tv)) ids.Add(($"tvdb id {tvdb}", tv));

            if (bySource.TryGetValue(e.Id!, out var existing))
            {
                var other = ids.FirstOrDefault(x => x.Title != existing);
                if (other.Label is not null) { _reason[i] = $"{other.Label} belongs to another title ({other.Title})"; continue; }
                _target[i] = existing;
                _outcome[i] = RowOutcome.Updated;
                claimed[existing] = i;
                continue;
            }
            var distinct = ids.Select(x => x.Title).Distinct().ToList();
            if (distinct.Count > 1) { _reason[i] = $"its external ids point at different titles ({string.Join(", ", distinct)})"; continue; }
            if (distinct.Count == 1)
            {
                proposed[i] = distinct[0];
                mergeCandidates.Add(distinct[0]);
            }
        }

        // Titles this source already owns through another row can't take a second one.
        var keyCandidates = await MatchKeyCandidatesAsync(proposed);
        foreach (var c in keyCandidates.Values.Where(c => c.Count == 1)) mergeCandidates.Add(c[0].Id);
        var ownedBySource = mergeCandidates.Count == 0
            ? new HashSet<long>()
            : (await _conn.QueryAsync<long>(
                $"SELECT title_id FROM title_sources WHERE source = @source AND {bulk.InList("title_id", "ids")}",
                new { source, ids = bulk.ListParam(mergeCandidates) }, _tx)).ToHashSet();

        for (var i = 0; i < rows.Count; i++)
        {
            if (!Live(i) || _target[i] != 0) continue;
            var e = E(i);
            if (proposed[i] != 0)
            {
                var t = proposed[i];
                if (ownedBySource.Contains(t) || claimed.ContainsKey(t))
                {
                    _reason[i] = $"its external ids belong to title {t}, which another row of this source already holds";
                    continue;
                }
                _target[i] = t;
                _outcome[i] = RowOutcome.Merged;
                claimed[t] = i;
                continue;
            }
            if (e.Year is { } year && keyCandidates.TryGetValue((Normalize.MatchKey(e.Title), e.Kind!, year), out var cands)
                && cands.Count == 1 && !ownedBySource.Contains(cands[0].Id) && !claimed.ContainsKey(cands[0].Id)
                && !Contradicts(e, cands[0]))
            {
                _target[i] = cands[0].Id;
                _outcome[i] = RowOutcome.Merged;
                claimed[cands[0].Id] = i;
                continue;
            }
            // A new title: its external ids must not also be claimed by another new row of this batch.
            foreach (var key in ExternalKeys(e))
            {
                if (newIds.TryGetValue(key, out var first)) { _reason[i] = $"{key} is also on line {rows[first].Line}"; break; }
            }
            if (!Live(i)) continue;
            foreach (var key in ExternalKeys(e)) newIds[key] = i;
            _outcome[i] = RowOutcome.Imported;
        }
    }

    static IEnumerable<string> ExternalKeys(CatalogEntry e)
    {
        if (e.ExternalIds?.Imdb is { } imdb) yield return $"imdb id {imdb}";
        if (e.ExternalIds?.Tmdb is { } tmdb) yield return $"tmdb {e.Kind} id {tmdb}";
        if (e.ExternalIds?.Tvdb is { } tvdb) yield return $"tvdb {e.Kind} id {tvdb}";
    }

    static bool Contradicts(CatalogEntry e, KeyCandidate c) =>
        (e.ExternalIds?.Imdb is { } i && c.ImdbId is not null && c.ImdbId != i)
        || (e.ExternalIds?.Tmdb is { } m && c.TmdbId is not null && c.TmdbId != m)
        || (e.ExternalIds?.Tvdb is { } v && c.TvdbId is not null && c.TvdbId != v);

    async Task<Dictionary<(string Kind, int Id), long>> ByProviderIdAsync(string column, Func<CatalogEntry, int?> id)
    {
        var found = new Dictionary<(string, int), long>();
        foreach (var kind in new[] { "movie", "series" })
        {
            var ids = rows.Where(r => r.Entry.Kind == kind).Select(r => id(r.Entry)).OfType<int>().Distinct().ToList();
            if (ids.Count == 0) continue;
            foreach (var (tid, pid) in await _conn.QueryAsync<(long, int)>(
                         $"SELECT id, {column} FROM titles WHERE kind = @kind AND {bulk.InList(column, "ids")}",
                         new { kind, ids = bulk.ListParam(ids) }, _tx))
                found[(kind, pid)] = tid;
        }
        return found;
    }

    sealed record KeyCandidate(long Id, string? ImdbId, int? TmdbId, int? TvdbId);

    async Task<Dictionary<(string Key, string Kind, int Year), List<KeyCandidate>>> MatchKeyCandidatesAsync(long[] proposed)
    {
        var wanted = new HashSet<(string Key, string Kind, int Year)>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && _target[i] == 0 && proposed[i] == 0 && E(i).Year is { } year) wanted.Add((Normalize.MatchKey(E(i).Title), E(i).Kind!, year));
        var result = new Dictionary<(string, string, int), List<KeyCandidate>>();
        if (wanted.Count == 0) return result;
        // Only the exact (key, kind, year) triples: common titles ("Love", "Home") share a key with thousands of others.
        var keys = wanted.Select(w => w.Key).ToList();
        var kinds = wanted.Select(w => w.Kind).ToList();
        var years = wanted.Select(w => w.Year).ToList();
        var found = await _conn.QueryAsync<(long Id, string MatchKey, string Kind, int Year, string? ImdbId, int? TmdbId, int? TvdbId)>(
            session._db.Pick(
                sqlite: """
                    SELECT id, match_key, kind, year, imdb_id, tmdb_id, tvdb_id FROM titles
                    WHERE (match_key, kind, year) IN (
                        SELECT json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), json_extract(k.value, '$[2]')
                        FROM json_each(@triples) k)
                    """,
                postgres: """
                    SELECT id, match_key, kind, year, imdb_id, tmdb_id, tvdb_id FROM titles
                    WHERE (match_key, kind, year) IN (SELECT * FROM unnest(@keys::text[], @kinds::text[], @years::int[]))
                    """),
            session._db.Dialect == Dialect.Sqlite
                ? new { triples = Triples(wanted) }
                : new { keys = bulk.ListParam(keys), kinds = bulk.ListParam(kinds), years = bulk.ListParam(years) }, _tx);
        foreach (var f in found)
        {
            var k = (f.MatchKey, f.Kind, f.Year);
            if (!result.TryGetValue(k, out var list)) result[k] = list = [];
            list.Add(new KeyCandidate(f.Id, f.ImdbId, f.TmdbId, f.TvdbId));
        }
        return result;
    }

    static string Triples(IEnumerable<(string Key, string Kind, int Year)> triples)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var (key, kind, year) in triples)
            {
                w.WriteStartArray();
                w.WriteStringValue(key);
                w.WriteStringValue(kind);
                w.WriteNumberValue(year);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // ---------------------------------------------------------------- titles

    async Task WriteTitlesAsync()
    {
        var fresh = Enumerable.Range(0, rows.Count).Where(i => Live(i) && _outcome[i] == RowOutcome.Imported).ToList();
        var ids = await bulk.NextIdsAsync("titles", fresh.Count);
        for (var k = 0; k < fresh.Count; k++) _target[fresh[k]] = ids[k];

        var inserts = fresh.Select(i => TitleRow(i, forInsert: true)).ToList();
        await bulk.InsertAsync("titles", [.. TitleCols, new Col("created_at", "timestamptz")], inserts);

        var preferNew = Enumerable.Repeat(Fill.PreferNew, TitleCols.Length - 1).ToArray();
        var keepExisting = Enumerable.Repeat(Fill.KeepExisting, TitleCols.Length - 1).ToArray();
        keepExisting[^1] = Fill.PreferNew; // updated_at
        await bulk.UpdateByIdAsync("titles", TitleCols, preferNew,
            Enumerable.Range(0, rows.Count).Where(i => Live(i) && _outcome[i] == RowOutcome.Updated).Select(i => TitleRow(i, false)).ToList());
        await bulk.UpdateByIdAsync("titles", TitleCols, keepExisting,
            Enumerable.Range(0, rows.Count).Where(i => Live(i) && _outcome[i] == RowOutcome.Merged).Select(i => TitleRow(i, false)).ToList());
    }

    object?[] TitleRow(int i, bool forInsert)
    {
        var e = E(i);
        var row = new object?[]
        {
            _target[i], e.Kind, e.Title, e.OriginalTitle, Normalize.MatchKey(e.Title), e.Year, e.RuntimeMin, e.Network, e.Status,
            e.Certification, e.Overview, e.FirstAirDate, e.LastAirDate, forInsert ? e.Popularity ?? 0 : e.Popularity,
            e.CriticRating, e.CriticVotes, e.AudienceRating, e.AudienceVotes, e.Poster, e.Backdrop,
            e.ExternalIds?.Imdb, e.ExternalIds?.Tmdb, e.ExternalIds?.Tvdb, _now,
        };
        return forInsert ? [.. row, _now] : row;
    }

    async Task WriteSourcesAsync()
    {
        var list = Enumerable.Range(0, rows.Count).Where(Live)
            .Select(i => new object?[] { session.Source, E(i).Id, _target[i], _now, session._run }).ToList();
        await bulk.InsertAsync("title_sources",
            [new("source", "text"), new("source_id", "text"), new("title_id", "bigint"), new("imported_at", "timestamptz"), new("import_run", "text")], list,
            "ON CONFLICT (source, source_id) DO UPDATE SET imported_at = excluded.imported_at, import_run = excluded.import_run");
    }

    // ---------------------------------------------------------------- side tables

    async Task WriteGenresAsync()
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal); // slug → display name
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Genres is { } gs)
                foreach (var g in gs) wanted.TryAdd(Normalize.Slug(g), g);
        var missing = wanted.Keys.Where(s => !session._genres.ContainsKey(s) && !learned.Genres.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            await bulk.InsertAsync("genres", [new("slug", "text"), new("name", "text")],
                missing.Select(s => new object?[] { s, wanted[s] }).ToList(), "ON CONFLICT (slug) DO NOTHING");
            foreach (var (id, slug) in await _conn.QueryAsync<(long, string)>(
                         $"SELECT id, slug FROM genres WHERE {bulk.InList("slug", "slugs")}", new { slugs = bulk.ListParam(missing) }, _tx))
                learned.Genres[slug] = id;
        }
        var links = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Genres is { } gs)
                foreach (var slug in gs.Select(Normalize.Slug).Distinct())
                    links.Add([_target[i], session._genres.TryGetValue(slug, out var id) ? id : learned.Genres[slug]]);
        await bulk.InsertAsync("title_genres", [new("title_id", "bigint"), new("genre_id", "bigint")], links, "ON CONFLICT DO NOTHING");
    }

    async Task WriteRegionsAsync()
    {
        var list = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Regions is { } rs)
                foreach (var r in rs) list.Add([_target[i], r]);
        await bulk.InsertAsync("title_regions", [new("title_id", "bigint"), new("region", "text")], list, "ON CONFLICT DO NOTHING");
    }

    /// <summary>Titles this batch adds to that already existed (so their side rows must be de-duplicated).</summary>
    List<long> ExistingTargets() => Enumerable.Range(0, rows.Count)
        .Where(i => Live(i) && _outcome[i] != RowOutcome.Imported).Select(i => _target[i]).Distinct().ToList();

    async Task WriteAliasesAsync()
    {
        var existing = new HashSet<(long, string, string, string)>();
        var old = ExistingTargets();
        if (old.Count > 0 && rows.Any(r => r.Entry.Aliases is { Count: > 0 }))
            foreach (var a in await _conn.QueryAsync<(long TitleId, string Title, string? Region, string? Language)>(
                         $"SELECT title_id, title, region, language FROM title_aliases WHERE {bulk.InList("title_id", "ids")}",
                         new { ids = bulk.ListParam(old) }, _tx))
                existing.Add((a.TitleId, a.Title, a.Region ?? "", a.Language ?? ""));

        var list = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Aliases is { } aliases)
                foreach (var a in aliases)
                    if (existing.Add((_target[i], a.Title!, a.Region ?? "", a.Language ?? "")))
                        list.Add([_target[i], a.Title, a.Region, a.Language, a.Kind]);
        await bulk.InsertAsync("title_aliases",
            [new("title_id", "bigint"), new("title", "text"), new("region", "text"), new("language", "text"), new("kind", "text")], list);
    }

    async Task WriteCreditsAsync()
    {
        if (!rows.Any(r => r.Entry.People is { Count: > 0 })) return;
        var personIds = await ResolvePeopleAsync();

        var existing = new HashSet<(long, long, string, string)>();
        var count = new Dictionary<long, int>();
        var old = ExistingTargets();
        if (old.Count > 0)
            foreach (var c in await _conn.QueryAsync<(long TitleId, long PersonId, string Role, string? Character)>(
                         $"SELECT title_id, person_id, role, character FROM credits WHERE {bulk.InList("title_id", "ids")}",
                         new { ids = bulk.ListParam(old) }, _tx))
            {
                existing.Add((c.TitleId, c.PersonId, c.Role, c.Character ?? ""));
                count[c.TitleId] = count.GetValueOrDefault(c.TitleId) + 1;
            }

        var list = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!Live(i) || E(i).People is not { } people) continue;
            var ord = count.GetValueOrDefault(_target[i]);
            foreach (var p in people)
            {
                var (role, job) = EntryRules.Role(p.Role);
                if (!personIds.TryGetValue(PersonKey(p), out var pid)) continue;
                if (existing.Add((_target[i], pid, role, p.Character ?? "")))
                    list.Add([_target[i], pid, role, p.Character, job, ord++]);
            }
        }
        await bulk.InsertAsync("credits",
            [new("title_id", "bigint"), new("person_id", "bigint"), new("role", "text"), new("character", "text"), new("job", "text"), new("ord", "integer")], list);
    }

    static string PersonKey(PersonEntry p) => p.ImdbId ?? "n:" + Normalize.MatchKey(p.Name);

    async Task<Dictionary<string, long>> ResolvePeopleAsync()
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var wanted = new Dictionary<string, PersonEntry>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).People is { } people)
                foreach (var p in people)
                {
                    var key = PersonKey(p);
                    if (session._people.TryGetValue(key, out var id) || learned.People.TryGetValue(key, out id)) ids[key] = id;
                    else wanted.TryAdd(key, p);
                }
        if (wanted.Count == 0) return ids;

        var byImdb = wanted.Keys.Where(k => !k.StartsWith("n:", StringComparison.Ordinal)).ToList();
        if (byImdb.Count > 0)
            foreach (var (id, imdb) in await _conn.QueryAsync<(long, string)>(
                         $"SELECT id, imdb_id FROM people WHERE {bulk.InList("imdb_id", "ids")}", new { ids = bulk.ListParam(byImdb) }, _tx))
                ids[imdb] = id;
        var byName = wanted.Keys.Where(k => k.StartsWith("n:", StringComparison.Ordinal)).Select(k => k[2..]).ToList();
        if (byName.Count > 0)
            // Without an id a name is all there is: the oldest person with that name is taken to be the one meant.
            foreach (var (id, key) in await _conn.QueryAsync<(long, string)>(
                         $"SELECT min(id), match_key FROM people WHERE {bulk.InList("match_key", "keys")} GROUP BY match_key",
                         new { keys = bulk.ListParam(byName) }, _tx))
                ids["n:" + key] = id;

        // Someone known only by an IMDb id that isn't stored can't be named: that credit is left out.
        var missing = wanted.Where(w => !ids.ContainsKey(w.Key) && w.Value.Name is not null).ToList();
        var fresh = await bulk.NextIdsAsync("people", missing.Count);
        var inserts = new List<object?[]>(missing.Count);
        for (var k = 0; k < missing.Count; k++)
        {
            var p = missing[k].Value;
            ids[missing[k].Key] = fresh[k];
            inserts.Add([fresh[k], p.Name, Normalize.MatchKey(p.Name), p.ImdbId, _now, _now]);
        }
        await bulk.InsertAsync("people",
            [new("id", "bigint"), new("name", "text"), new("match_key", "text"), new("imdb_id", "text"), new("created_at", "timestamptz"), new("updated_at", "timestamptz")],
            inserts);
        foreach (var (k, v) in ids) learned.People[k] = v;
        return ids;
    }

    async Task WriteAvailabilityAsync()
    {
        if (!rows.Any(r => r.Entry.Platforms is { Count: > 0 })) return;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal); // key → a name as written
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Platforms is { } ps)
                foreach (var p in ps) keys.TryAdd(Normalize.PlatformKey(p.Name), p.Name!);
        var missing = keys.Keys.Where(k => !session._platforms.ContainsKey(k) && !learned.Platforms.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            foreach (var (alias, id) in await _conn.QueryAsync<(string, long)>(
                         $"SELECT alias, platform_id FROM platform_aliases WHERE {bulk.InList("alias", "keys")}", new { keys = bulk.ListParam(missing) }, _tx))
                learned.Platforms[alias] = id;
            var unknown = missing.Where(k => !learned.Platforms.ContainsKey(k)).ToList();
            foreach (var key in unknown)
            {
                // A platform the registry doesn't know yet joins it under its own name.
                var slug = Normalize.Slug(keys[key]);
                await _conn.ExecuteAsync("INSERT INTO platforms (slug, name, created_at) VALUES (@slug, @name, @now) ON CONFLICT (slug) DO NOTHING",
                    new { slug, name = keys[key], now = _now }, _tx);
                var id = await _conn.ExecuteScalarAsync<long>("SELECT id FROM platforms WHERE slug = @slug", new { slug }, _tx);
                await _conn.ExecuteAsync("INSERT INTO platform_aliases (alias, platform_id) VALUES (@key, @id) ON CONFLICT (alias) DO NOTHING", new { key, id }, _tx);
                learned.Platforms[key] = id;
            }
        }

        var seen = new HashSet<(long, long, string, string)>();
        var list = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Platforms is { } ps)
                foreach (var p in ps)
                {
                    var key = Normalize.PlatformKey(p.Name);
                    var pid = session._platforms.TryGetValue(key, out var id) ? id : learned.Platforms[key];
                    if (seen.Add((_target[i], pid, p.Region!, p.Monetization!)))
                        list.Add([_target[i], pid, p.Region, p.Monetization, p.AvailableFrom, p.ExpiresOn, _now, _now, session.Source]);
                }
        await bulk.InsertAsync("availability",
            [new("title_id", "bigint"), new("platform_id", "bigint"), new("region", "text"), new("monetization", "text"),
             new("available_from", "date"), new("expires_on", "date"), new("first_seen_at", "timestamptz"), new("last_seen_at", "timestamptz"), new("source", "text")],
            list,
            "ON CONFLICT (title_id, platform_id, region, monetization) DO UPDATE SET available_from = COALESCE(excluded.available_from, availability.available_from), " +
            "expires_on = excluded.expires_on, last_seen_at = excluded.last_seen_at, source = excluded.source");
    }

    async Task WriteSeasonsAsync()
    {
        var seasons = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Seasons is { } ss)
                foreach (var s in ss) seasons.Add([_target[i], s.Number, s.Name, s.Overview, s.AirDate]);
        if (seasons.Count == 0) return;

        var ids = (await bulk.InsertReturningAsync("seasons",
                [new("title_id", "bigint"), new("number", "integer"), new("name", "text"), new("overview", "text"), new("air_date", "date")], seasons,
                "ON CONFLICT (title_id, number) DO UPDATE SET name = COALESCE(excluded.name, seasons.name), " +
                "overview = COALESCE(excluded.overview, seasons.overview), air_date = COALESCE(excluded.air_date, seasons.air_date) RETURNING id, title_id, number",
                r => (Id: r.GetInt64(0), TitleId: r.GetInt64(1), Number: r.GetInt32(2))))
            .ToDictionary(x => (x.TitleId, x.Number), x => x.Id);

        var episodes = new List<object?[]>();
        for (var i = 0; i < rows.Count; i++)
            if (Live(i) && E(i).Seasons is { } ss)
                foreach (var s in ss)
                    foreach (var ep in s.Episodes ?? [])
                        episodes.Add([_target[i], ids[(_target[i], s.Number!.Value)], s.Number, ep.Number, ep.AbsoluteNumber, ep.Title, ep.Overview,
                            ep.AirDate, ep.RuntimeMin, ep.ImdbId, _now, _now]);
        await CatalogImportSession.ReleaseMovedImdbIdsAsync(_conn, _tx, bulk, episodes.Select(e => (string?)e[9]));
        await bulk.InsertAsync("episodes",
            [new("title_id", "bigint"), new("season_id", "bigint"), new("season_number", "integer"), new("number", "integer"),
             new("absolute_number", "integer"), new("title", "text"), new("overview", "text"), new("air_date", "date"),
             new("runtime_min", "integer"), new("imdb_id", "text"), new("created_at", "timestamptz"), new("updated_at", "timestamptz")],
            episodes,
            "ON CONFLICT (title_id, season_number, number) DO UPDATE SET title = COALESCE(excluded.title, episodes.title), " +
            "overview = COALESCE(excluded.overview, episodes.overview), air_date = COALESCE(excluded.air_date, episodes.air_date), " +
            "runtime_min = COALESCE(excluded.runtime_min, episodes.runtime_min), absolute_number = COALESCE(excluded.absolute_number, episodes.absolute_number), " +
            "imdb_id = COALESCE(excluded.imdb_id, episodes.imdb_id), updated_at = excluded.updated_at");
    }
}
