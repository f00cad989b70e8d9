using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Watchlog.Data;

/// <summary>
/// <c>watchlog backup PATH</c> and <c>watchlog restore PATH</c>. SQLite: an online, consistent copy with
/// <c>VACUUM INTO</c> while the server keeps running, and a restore through SQLite's backup API into the live
/// file (the current database is copied aside first). PostgreSQL: <c>pg_dump --format=custom</c> and
/// <c>pg_restore --clean</c>, which must be on the PATH (Debian: postgresql-client).
/// </summary>
public sealed class Backup(Db db, Migrator migrator, ILogger<Backup> log)
{
    public async Task<string> BackupAsync(string path, CancellationToken ct)
    {
        var target = Path.GetFullPath(path);
        if (File.Exists(target)) throw new BackupException($"{target} already exists; choose a new file name.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        if (db.Dialect == Dialect.Sqlite)
        {
            await using var conn = await db.OpenAsync(ct);
            await conn.ExecuteAsync("VACUUM INTO @target", new { target }, commandTimeout: 3600);
        }
        else
        {
            await RunPgToolAsync("pg_dump", ["--format=custom", "--no-owner", "--file", target], ct);
        }
        log.LogInformation("Backed up the database to {Path}", target);
        return target;
    }

    public async Task<RestoreResult> RestoreAsync(string path, CancellationToken ct)
    {
        var source = Path.GetFullPath(path);
        if (!File.Exists(source)) throw new BackupException($"{source} does not exist.");

        string? aside = null;
        if (db.Dialect == Dialect.Sqlite)
        {
            await CheckSqliteBackupAsync(source, ct);
            aside = await BackupAsync(Path.Combine(Path.GetDirectoryName(db.SqlitePath!)!, "backups",
                $"before-restore-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.db"), ct);
            await using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await from.OpenAsync(ct);
            await using var into = new SqliteConnection(new SqliteConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ToString());
            await into.OpenAsync(ct);
            await into.ExecuteAsync("PRAGMA busy_timeout=30000");
            from.BackupDatabase(into);
            SqliteConnection.ClearAllPools();
        }
        else
        {
            await RunPgToolAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", source], ct);
        }

        // A backup made by an older version is brought up to date.
        var migrated = await migrator.MigrateAsync(ct);
        log.LogInformation("Restored the database from {Path}", source);
        return new RestoreResult(source, aside, migrated.Applied);
    }

    static async Task CheckSqliteBackupAsync(string source, CancellationToken ct)
    {
        try
        {
            await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await conn.OpenAsync(ct);
            var check = await conn.ExecuteScalarAsync<string>("PRAGMA quick_check");
            if (check != "ok") throw new BackupException($"{source} is damaged: {check}");
            var versions = (await conn.QueryAsync<string>("SELECT id FROM schema_version")).ToList();
            var known = Migrator.Available(Dialect.Sqlite).ToHashSet(StringComparer.Ordinal);
            var unknown = versions.Where(v => !known.Contains(v)).ToList();
            if (unknown.Count > 0)
                throw new BackupException($"{source} was made by a newer Watchlog (migration {unknown[0]} is unknown here); upgrade first.");
        }
        catch (SqliteException e)
        {
            throw new BackupException($"{source} is not a Watchlog SQLite backup: {e.Message}");
        }
    }

    async Task RunPgToolAsync(string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var csb = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("--dbname");
        psi.ArgumentList.Add(csb.Database ?? throw new BackupException("The PostgreSQL connection string names no database."));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (csb.Host is not null) psi.Environment["PGHOST"] = csb.Host;
        psi.Environment["PGPORT"] = csb.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (csb.Username is not null) psi.Environment["PGUSER"] = csb.Username;
        if (csb.Password is not null) psi.Environment["PGPASSWORD"] = csb.Password;

        Process process;
        try { process = Process.Start(psi) ?? throw new BackupException($"Could not start {tool}."); }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BackupException($"{tool} is not installed; on Debian: apt-get install postgresql-client.");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0) throw new BackupException($"{tool} failed: {(await stderr).Trim()}");
        }
    }
}

public sealed class BackupException(string message) : Exception(message);

public sealed record RestoreResult(string Source, string? CopiedAsideTo, IReadOnlyList<string> MigrationsApplied);
