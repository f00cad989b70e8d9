using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Catalog;

public enum RowOutcome { Imported, Updated, Merged, Skipped }

/// <summary>What happened to one input row. <see cref="TitleId"/> is 0 for a skipped row.</summary>
public readonly record struct RowResult(int Line, RowOutcome Outcome, string? Reason, long TitleId);

/// <summary>An entry and the line (or record number) it came from, for reporting.</summary>
public readonly record struct SourcedEntry(int Line, CatalogEntry Entry);

/// <summary>A person as IMDb's name.basics lists them.</summary>
public sealed record PersonRecord(string? ImdbId, string? Name, int? BirthYear, int? DeathYear);

/// <summary>An episode of a series this source imported, named by the series' source id.</summary>
public readonly record struct SourcedEpisode(int Line, string ParentSourceId, int Season, EpisodeEntry Episode);

/// <summary>Writes catalog entries from one import source; see <see cref="CatalogImportSession"/>.</summary>
public sealed class CatalogWriter(Db db, TimeProvider clock, TitleCache? titles = null)
{
    /// <summary>
    /// Starts writing entries from <paramref name="source"/> (e.g. "imdb", "movielens", "streaming-csv:netflix",
    /// "jsonl"); entry ids are that source's ids.
    /// </summary>
    public CatalogImportSession Begin(string source) => new(db, clock, source, titles);

    /// <summary>The registry's slug for a platform named by slug, name or alias; null when the registry doesn't know it.</summary>
    /// <summary>Compacts the search index after a bulk import (see <see cref="Search.SearchIndex.CompactAsync"/>).</summary>
    public Task CompactSearchIndexAsync(CancellationToken ct) => Search.SearchIndex.CompactAsync(db, ct);

    public async Task<string?> PlatformSlugAsync(string name, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT p.slug FROM platform_aliases a JOIN platforms p ON p.id = a.platform_id WHERE a.alias = @key",
            new { key = Normalize.PlatformKey(name) }, cancellationToken: ct));
    }
}
