using Dapper;

namespace Watchlog.Data;

public static class DataModule
{
    public static void AddData(this IHostApplicationBuilder builder, WatchlogSettings settings)
    {
        // One Db for the process: it owns the connection pool and, on SQLite, the single writer.
        if (settings.Provider == Dialect.Sqlite) SqliteNative.Init(settings.SqliteLibrary);
        builder.Services.AddSingleton(_ => Db.Create(settings.Provider, settings.ConnectionString));
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton<Backup>();
        builder.Services.AddSingleton(TimeProvider.System);
    }

    /// <summary>/readyz: the database answers and every migration is applied.</summary>
    public static async Task<IResult> ReadyAsync(Db db, Migrator migrator, CancellationToken ct)
    {
        try
        {
            await using var conn = await db.OpenAsync(ct);
            await conn.ExecuteScalarAsync<int>("SELECT 1");
            var pending = await migrator.PendingAsync(ct);
            return pending.Count == 0
                ? TypedResults.Text("ready")
                : TypedResults.Problem($"{pending.Count} migration(s) not applied; run 'watchlog migrate'.", statusCode: 503, title: "Not ready");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return TypedResults.Problem($"Database unreachable: {e.Message}", statusCode: 503, title: "Not ready");
        }
    }
}
