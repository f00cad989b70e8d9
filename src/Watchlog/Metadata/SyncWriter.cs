using System.Data.Common;
using Dapper;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.Metadata;

/// <summary>
/// Writes one fetched title inside one transaction: the catalog write path (<see cref="CatalogImportSession"/>, which
/// also refreshes the search index) for the title and its genres, aliases, availability, seasons and episodes; then the
/// people by provider id, the credits, both providers' episode ids and numbering, the raw payloads and the sync stamp.
/// What the provider no longer lists (cast, genres, aliases, its availability rows) is replaced, not kept beside.
/// </summary>
public static class SyncWriter
{
    /// <summary>Thrown inside the transaction when the title can't be written as fetched; nothing of it lands.</summary>
    public sealed class Refused(string message) : Exception(message);

    /// <returns>The title written: <paramref name="titleId"/>, or the stored title a pending one turned out to be.</returns>
    /// <param name="alsoChanged">Gets the other titles whose answer changed (they credit a person the provider renamed).</param>
    public static async Task<long> WriteAsync(DbConnection conn, DbTransaction tx, Db db, CatalogWriter catalog, long titleId, FetchedTitle title, DateTime now,
        ICollection<long>? alsoChanged = null)
    {
        var bulk = new Bulk(conn, tx, db.Dialect);
        var e = title.Entry;
        var pending = await conn.QuerySingleOrDefaultAsync<string?>(
            "SELECT coalesce(sync_state, 'stored') FROM titles WHERE id = @titleId", new { titleId }, tx)
            ?? throw new Refused($"title {titleId} no longer exists");

        // A pending title whose fetched ids belong to a title already stored (looked up by TMDB id, stored from an IMDb
        // import) becomes that title: the placeholder goes, the stored one is synced.
        var other = await conn.QueryFirstOrDefaultAsync<long?>(
            """
            SELECT id FROM titles WHERE id <> @titleId AND (imdb_id = @imdb OR (kind = @kind AND tmdb_id = @tmdb) OR (kind = @kind AND tvdb_id = @tvdb))
            ORDER BY id
            """, new { titleId, imdb = e.ExternalIds?.Imdb, kind = e.Kind, tmdb = e.ExternalIds?.Tmdb, tvdb = e.ExternalIds?.Tvdb }, tx);
        if (other is { } existing)
        {
            if (pending != "pending")
                throw new Refused($"the provider's ids for title {titleId} belong to title {existing}");
            await conn.ExecuteAsync("DELETE FROM titles WHERE id = @titleId", new { titleId }, tx);
            titleId = existing;
        }
        await conn.ExecuteAsync("UPDATE titles SET kind = @kind WHERE id = @titleId AND kind <> @kind", new { titleId, kind = e.Kind }, tx);

        // The provider's source row makes the catalog write an update in place (the provider's fields win).
        var source = title.Provider;
        e.Id = $"{e.Kind}:{title.ProviderId}";
        await conn.ExecuteAsync(
            """
            INSERT INTO title_sources (source, source_id, title_id, imported_at) VALUES (@source, @sourceId, @titleId, @now)
            ON CONFLICT (source, source_id) DO UPDATE SET title_id = excluded.title_id, imported_at = excluded.imported_at
            """, new { source, sourceId = e.Id, titleId, now }, tx);
        var p = new { titleId, source };
        await conn.ExecuteAsync("DELETE FROM credits WHERE title_id = @titleId", p, tx);
        await conn.ExecuteAsync("DELETE FROM title_genres WHERE title_id = @titleId", p, tx);
        await conn.ExecuteAsync("DELETE FROM title_aliases WHERE title_id = @titleId", p, tx);
        await conn.ExecuteAsync("DELETE FROM availability WHERE title_id = @titleId AND source = @source", p, tx);
        foreach (var renamedIn in await WriteCreditsAsync(conn, tx, bulk, titleId, title.Credits, now)) alsoChanged?.Add(renamedIn);

        var error = EntryRules.Check(e);
        if (error is not null) throw new MalformedPayloadException(source, $"{e.Id}: {error}");
        var session = catalog.Begin(source);
        var result = await session.WriteInTransactionAsync(conn, tx, [new SourcedEntry(1, e)]);
        if (result is not [{ Outcome: not RowOutcome.Skipped } ok]) throw new Refused(result.FirstOrDefault().Reason ?? "the catalog refused the title");
        if (ok.TitleId != titleId) throw new Refused($"the catalog wrote title {ok.TitleId}, not {titleId}");

        await WriteProviderIdsAsync(conn, tx, bulk, titleId, title);
        await conn.ExecuteAsync(
            db.Pick(
                sqlite: "UPDATE titles SET raw = @raw, last_synced_at = @now, sync_state = NULL, updated_at = @now WHERE id = @titleId",
                postgres: "UPDATE titles SET raw = @raw::jsonb, last_synced_at = @now, sync_state = NULL, updated_at = @now WHERE id = @titleId"),
            new { raw = title.Raw, now, titleId }, tx);
        return titleId;
    }

    /// <returns>Other titles crediting people whose name changed.</returns>
    static async Task<IReadOnlyList<long>> WriteCreditsAsync(DbConnection conn, DbTransaction tx, Bulk bulk, long titleId, List<FetchedCredit> credits, DateTime now)
    {
        if (credits.Count == 0) return [];
        var column = credits[0].Provider == "tvdb" ? "tvdb_id" : "tmdb_id";
        var people = credits.GroupBy(c => c.PersonId).Select(g => g.First()).ToList();
        var stored = (await conn.QueryAsync<(long Id, int Pid, string Name)>(
                $"SELECT id, {column}, name FROM people WHERE {bulk.InList(column, "ids")}", new { ids = bulk.ListParam(people.Select(x => x.PersonId).ToList()) }, tx))
            .ToList();
        var known = stored.ToDictionary(x => x.Pid, x => x.Id);
        var fetchedNames = people.ToDictionary(x => x.PersonId, x => x.Name);
        var renamed = stored.Where(x => !string.IsNullOrEmpty(fetchedNames[x.Pid]) && fetchedNames[x.Pid] != x.Name).Select(x => x.Id).ToList();
        var fresh = people.Where(x => !known.ContainsKey(x.PersonId)).ToList();
        var ids = await bulk.NextIdsAsync("people", fresh.Count);
        for (var i = 0; i < fresh.Count; i++) known[fresh[i].PersonId] = ids[i];
        await bulk.InsertAsync("people",
            [new("id", "bigint"), new("name", "text"), new("match_key", "text"), new(column, "integer"), new("profile", "text"),
             new("created_at", "timestamptz"), new("updated_at", "timestamptz")],
            fresh.Select((x, i) => new object?[] { ids[i], x.Name, Normalize.MatchKey(x.Name), x.PersonId, x.Profile, now, now }).ToList());
        await bulk.UpdateByIdAsync("people",
            [new("id", "bigint"), new("name", "text"), new("match_key", "text"), new("profile", "text"), new("updated_at", "timestamptz")],
            [Fill.PreferNew, Fill.PreferNew, Fill.PreferNew, Fill.PreferNew],
            people.Where(x => !fresh.Contains(x)).Select(x => new object?[] { known[x.PersonId], x.Name, Normalize.MatchKey(x.Name), x.Profile, now }).ToList());

        var seen = new HashSet<(long, string, string)>();
        var rows = new List<object?[]>();
        foreach (var c in credits)
            if (seen.Add((known[c.PersonId], c.Role, c.Character ?? c.Job ?? "")))
                rows.Add([titleId, known[c.PersonId], c.Role, c.Character, c.Job, rows.Count]);
        await bulk.InsertAsync("credits",
            [new("title_id", "bigint"), new("person_id", "bigint"), new("role", "text"), new("character", "text"), new("job", "text"), new("ord", "integer")], rows);
        return (await CatalogImportSession.TouchTitlesCreditingAsync(conn, tx, bulk, renamed, now)).Where(id => id != titleId).ToList();
    }

    static async Task WriteProviderIdsAsync(DbConnection conn, DbTransaction tx, Bulk bulk, long titleId, FetchedTitle title)
    {
        if (title.Seasons.Count > 0)
        {
            var seasons = (await conn.QueryAsync<(long Id, int Number)>("SELECT id, number FROM seasons WHERE title_id = @titleId", new { titleId }, tx))
                .ToDictionary(x => x.Number, x => x.Id);
            await bulk.UpdateByIdAsync("seasons",
                [new("id", "bigint"), new("tmdb_id", "integer"), new("tvdb_id", "integer"), new("poster", "text")],
                [Fill.PreferNew, Fill.PreferNew, Fill.PreferNew],
                title.Seasons.Where(s => seasons.ContainsKey(s.Key)).Select(s => new object?[] { seasons[s.Key], s.Value.TmdbId, s.Value.TvdbId, s.Value.Poster }).ToList());
        }
        if (title.Episodes.Count > 0)
        {
            var episodes = (await conn.QueryAsync<(long Id, int Season, int Number)>(
                    "SELECT id, season_number, number FROM episodes WHERE title_id = @titleId", new { titleId }, tx))
                .ToDictionary(x => (x.Season, x.Number), x => x.Id);
            await bulk.UpdateByIdAsync("episodes",
                [new("id", "bigint"), new("tmdb_id", "integer"), new("tvdb_id", "integer"), new("tvdb_season_number", "integer"), new("tvdb_number", "integer"), new("still", "text")],
                [Fill.PreferNew, Fill.PreferNew, Fill.PreferNew, Fill.PreferNew, Fill.PreferNew],
                title.Episodes.Where(x => episodes.ContainsKey(x.Key))
                    .Select(x => new object?[] { episodes[x.Key], x.Value.TmdbId, x.Value.TvdbId, x.Value.TvdbSeason, x.Value.TvdbNumber, x.Value.Still }).ToList());
        }
    }
}
