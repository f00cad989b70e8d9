using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Watchlog.Data;

namespace Watchlog.Tests.Support;

/// <summary>
/// A fresh, migrated database for one test. SQLite: the real migrations run once per test run into a template
/// file that each test copies. PostgreSQL: a template database migrated once, then <c>CREATE DATABASE … TEMPLATE</c>
/// per test, dropped afterwards, so no test sees another's rows.
/// </summary>
public sealed class TestDb : IAsyncDisposable
{
    static readonly SemaphoreSlim TemplateLock = new(1, 1);
    static string? _sqliteTemplate;
    static string? _pgTemplate;

    TestDb(Engine engine, string dataDir, string connectionString, string? pgDatabase)
    {
        Engine = engine;
        DataDir = dataDir;
        ConnectionString = connectionString;
        _pgDatabase = pgDatabase;
        Db = Db.Create(Dialect, connectionString);
    }

    readonly string? _pgDatabase;

    public Engine Engine { get; }
    public Dialect Dialect => Engine == Engine.Sqlite ? Dialect.Sqlite : Dialect.Postgres;
    public string DataDir { get; }
    public string ConnectionString { get; }
    public Db Db { get; }

    /// <summary>Configuration that points an app or the CLI at this database.</summary>
    public Dictionary<string, string?> Settings(bool starterCatalog = false) => new()
    {
        ["Watchlog:DataDir"] = DataDir,
        ["Watchlog:Database:Provider"] = Engine == Engine.Sqlite ? "sqlite" : "postgres",
        ["Watchlog:Database:ConnectionString"] = ConnectionString,
        ["Watchlog:StarterCatalog"] = starterCatalog ? "true" : "false",
        ["Watchlog:Jobs:Enabled"] = "false",
        // PostgreSQL reads search tiers bucket by bucket from the 500th title on; test catalogs are tiny, so every
        // search test there runs across several buckets (the one-bucket path has its own test).
        ["Watchlog:Search:RankBuckets"] = "2,5,12",
    };

    public static async Task<TestDb> CreateAsync(Engine engine, bool migrated = true)
    {
        var dataDir = Directory.CreateTempSubdirectory("watchlog-test-").FullName;
        if (engine == Engine.Sqlite)
        {
            var file = Path.Combine(dataDir, "watchlog.db");
            if (migrated) File.Copy(await SqliteTemplateAsync(), file);
            return new TestDb(engine, dataDir, $"Data Source={file}", null);
        }

        var admin = TestEnv.PostgresConnectionString ?? throw new InvalidOperationException("WATCHLOG_TEST_POSTGRES is not set");
        var name = $"wl_test_{Guid.NewGuid():N}";
        var template = migrated ? await PostgresTemplateAsync() : "template0";
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await conn.ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        }
        return new TestDb(engine, dataDir, new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ToString(), name);
    }

    static async Task<string> SqliteTemplateAsync()
    {
        if (_sqliteTemplate is not null) return _sqliteTemplate;
        await TemplateLock.WaitAsync();
        try
        {
            if (_sqliteTemplate is not null) return _sqliteTemplate;
            var dir = Directory.CreateTempSubdirectory("watchlog-template-").FullName;
            var file = Path.Combine(dir, "watchlog.db");
            await using (var db = Db.Create(Dialect.Sqlite, $"Data Source={file}"))
                await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            // Fold the WAL into the file so a plain copy holds everything.
            await using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await conn.OpenAsync();
                await conn.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return _sqliteTemplate = file;
        }
        finally { TemplateLock.Release(); }
    }

    static async Task<string> PostgresTemplateAsync()
    {
        if (_pgTemplate is not null) return _pgTemplate;
        await TemplateLock.WaitAsync();
        try
        {
            if (_pgTemplate is not null) return _pgTemplate;
            var admin = TestEnv.PostgresConnectionString!;
            var name = $"wl_template_{Environment.ProcessId}";
            await using (var conn = new NpgsqlConnection(admin))
            {
                await conn.OpenAsync();
                await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {name}");
                await conn.ExecuteAsync($"CREATE DATABASE {name}");
            }
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ToString();
            await using (var db = Db.Create(Dialect.Postgres, cs))
                await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
            NpgsqlConnection.ClearAllPools();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Drop(admin, name);
            return _pgTemplate = name;
        }
        finally { TemplateLock.Release(); }
    }

    static void Drop(string admin, string name)
    {
        try
        {
            using var conn = new NpgsqlConnection(admin);
            conn.Open();
            conn.Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
        catch (NpgsqlException) { /* the throwaway cluster goes away with the run anyway */ }
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            Drop(TestEnv.PostgresConnectionString!, _pgDatabase);
        }
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
