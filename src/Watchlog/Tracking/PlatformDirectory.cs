using Dapper;
using Watchlog.Catalog;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>Resolves platforms the way people write them: by registry slug ("disney-plus") or any known name or alias ("Disney+").</summary>
public sealed class PlatformDirectory(Db db)
{
    public sealed record Platform
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public PlatformRef Ref => new(Slug, Name);
    }

    sealed record Match
    {
        public string Key { get; init; } = "";
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
    }

    public async Task<Platform?> FindAsync(string input, CancellationToken ct) =>
        (await FindAllAsync([input], ct))[0];

    /// <summary>One answer per input, in order; null where the registry knows no such platform.</summary>
    public async Task<IReadOnlyList<Platform?>> FindAllAsync(IReadOnlyList<string> inputs, CancellationToken ct)
    {
        var slugs = inputs.Select(i => i.Trim().ToLowerInvariant()).Distinct().ToArray();
        var keys = inputs.Select(Normalize.PlatformKey).Where(k => k.Length > 0).Distinct().ToArray();
        await using var conn = await db.OpenAsync(ct);
        // Dapper expands IN @list into parameters on SQLite; Npgsql takes the array.
        var matches = await conn.QueryAsync<Match>(new CommandDefinition(db.Pick(
            sqlite: """
                SELECT 's:' || slug AS key, id, slug, name FROM platforms WHERE slug IN @slugs
                UNION ALL
                SELECT 'a:' || a.alias, p.id, p.slug, p.name FROM platform_aliases a JOIN platforms p ON p.id = a.platform_id WHERE a.alias IN @keys
                """,
            postgres: """
                SELECT 's:' || slug AS key, id, slug, name FROM platforms WHERE slug = ANY(@slugs)
                UNION ALL
                SELECT 'a:' || a.alias, p.id, p.slug, p.name FROM platform_aliases a JOIN platforms p ON p.id = a.platform_id WHERE a.alias = ANY(@keys)
                """), new { slugs, keys }, cancellationToken: ct));
        var found = matches.ToDictionary(m => m.Key, m => new Platform { Id = m.Id, Slug = m.Slug, Name = m.Name }, StringComparer.Ordinal);
        return inputs.Select(i =>
                found.GetValueOrDefault("s:" + i.Trim().ToLowerInvariant()) ?? found.GetValueOrDefault("a:" + Normalize.PlatformKey(i)))
            .ToList();
    }
}
