using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Watchlog.Data;

/// <summary>
/// Forward-only SQL migrations: embedded <c>Data/Migrations/{Sqlite|Postgres}/*.sql</c>, applied in name order,
/// each in its own transaction together with its row in <c>schema_version</c>. Only the configured engine's
/// folder is applied. On SQLite the database file is copied aside (a consistent <c>VACUUM INTO</c> copy)
/// before anything is applied to an existing database.
/// </summary>
public sealed class Migrator(Db db, ILogger<Migrator> log)
{
    public static IReadOnlyList<string> Available(Dialect dialect)
    {
        var prefix = $"Watchlog.Migrations.{dialect}/";
        return typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^4])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    static string Read(Dialect dialect, string name)
    {
        using var stream = typeof(Migrator).Assembly.GetManifestResourceStream($"Watchlog.Migrations.{dialect}/{name}.sql")!;
        return new StreamReader(stream).ReadToEnd();
    }

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await EnsureVersionTableAsync(conn);
        var applied = (await conn.QueryAsync<string>("SELECT id FROM schema_version")).ToHashSet(StringComparer.Ordinal);
        return Available(db.Dialect).Where(n => !applied.Contains(n)).ToList();
    }

    /// <summary>Applies what is pending; returns the names applied and, on SQLite, where the copy went.</summary>
    public async Task<MigrationResult> MigrateAsync(CancellationToken ct)
    {
        var pending = await PendingAsync(ct);
        if (pending.Count == 0) return new MigrationResult([], null);

        string? backup = null;
        if (db.Dialect == Dialect.Sqlite) backup = await CopyAsideAsync(ct);

        await using var conn = await db.OpenAsync(ct);
        if (db.Dialect == Dialect.Sqlite)
            await conn.ExecuteAsync("PRAGMA journal_mode=WAL"); // persistent in the file
        else
            // Several nodes may start at once: one migrates, the others wait for it and find nothing to do.
            await conn.ExecuteAsync("SELECT pg_advisory_lock(727274)");

        var applied = new List<string>();
        try
        {
            var done = (await conn.QueryAsync<string>("SELECT id FROM schema_version")).ToHashSet(StringComparer.Ordinal);
            foreach (var name in pending.Where(n => !done.Contains(n)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await conn.ExecuteAsync(Read(db.Dialect, name), transaction: tx, commandTimeout: 600);
                await conn.ExecuteAsync("INSERT INTO schema_version (id, applied_at) VALUES (@name, @at)",
                    new { name, at = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) }, tx);
                await tx.CommitAsync(ct);
                applied.Add(name);
                log.LogInformation("Applied migration {Migration}", name);
            }
        }
        finally
        {
            if (db.Dialect == Dialect.Postgres) await conn.ExecuteAsync("SELECT pg_advisory_unlock(727274)");
        }
        return new MigrationResult(applied, backup);
    }

    static Task EnsureVersionTableAsync(DbConnection conn) =>
        conn.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (id VARCHAR(200) PRIMARY KEY, applied_at VARCHAR(40) NOT NULL)");

    async Task<string?> CopyAsideAsync(CancellationToken ct)
    {
        var path = db.SqlitePath!;
        await using var conn = await db.OpenAsync(ct);
        var hasData = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version' AND name NOT LIKE 'sqlite_%'");
        if (hasData == 0) return null;
        var dir = Path.Combine(Path.GetDirectoryName(path)!, "backups");
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(path)}-before-migration-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.db");
        await ((SqliteConnection)conn).ExecuteAsync("VACUUM INTO @target", new { target });
        log.LogInformation("Copied {Database} to {Backup} before migrating", path, target);
        return target;
    }
}

public sealed record MigrationResult(IReadOnlyList<string> Applied, string? BackupPath);
