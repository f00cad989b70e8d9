using Microsoft.Data.Sqlite;
using Quartz;
using Watchlog.Data;

namespace Watchlog.Jobs;

/// <summary>
/// Quartz with a persistent store, so jobs survive restarts. SQLite: a single scheduler whose tables live in
/// their own file beside the main database (Quartz's locking stays away from our writer). PostgreSQL: a clustered
/// store in the main database, so every node runs jobs and each job runs once. Features add their own jobs.
/// </summary>
public static class JobsModule
{
    public static void AddJobs(this IHostApplicationBuilder builder, WatchlogSettings settings)
    {
        if (!settings.JobsEnabled) return;
        // How often a node checks in to the cluster; a node silent for twice as long is taken for dead and its jobs recovered.
        var checkin = double.TryParse(builder.Configuration["Watchlog:Jobs:ClusterCheckinSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 600 ? c : 10;
        builder.Services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(2);
            if (settings.Provider == Dialect.Postgres)
            {
                q.ConfigureScheduler(o => o.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}"); // unique per node
                q.UsePersistentStore(s =>
                {
                    s.ProvisionSchema();
                    s.UseSystemTextJsonSerializer();
                    s.UsePostgres(settings.ConnectionString);
                    s.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(checkin);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(2 * checkin);
                    });
                });
            }
            else
            {
                var path = Path.Combine(settings.DataDir, "quartz.db");
                Directory.CreateDirectory(settings.DataDir);
                using (var conn = new SqliteConnection($"Data Source={path}"))
                {
                    conn.Open();
                    using var wal = conn.CreateCommand();
                    wal.CommandText = "PRAGMA journal_mode=WAL";
                    wal.ExecuteNonQuery();
                }
                q.UsePersistentStore(s =>
                {
                    s.ProvisionSchema();
                    s.UseSystemTextJsonSerializer();
                    s.UseSqlite($"Data Source={path}");
                });
            }

            var optimize = new JobKey("optimize-database", "maintenance");
            q.AddJob<OptimizeDatabaseJob>(j => j.WithIdentity(optimize).StoreDurably());
            q.AddTrigger(t => t.ForJob(optimize).WithIdentity("optimize-database-nightly", "maintenance").WithCronSchedule("0 30 3 * * ?"));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}

/// <summary>Refreshes the query planner's statistics (<c>PRAGMA optimize</c> / <c>ANALYZE</c>) after a day of imports and syncs.</summary>
[DisallowConcurrentExecution]
public sealed class OptimizeDatabaseJob(Db db, ILogger<OptimizeDatabaseJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        await db.WriteAsync(async (conn, tx) =>
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = db.Pick(sqlite: "PRAGMA optimize", postgres: "ANALYZE");
            cmd.CommandTimeout = 600;
            await cmd.ExecuteNonQueryAsync(ct);
        }, ct);
        log.LogInformation("Database statistics refreshed");
    }
}
