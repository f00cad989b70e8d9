using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Watchlog.Tests.Jobs;

public class JobsTests
{
    [EachDatabase]
    public async Task The_scheduler_runs_on_a_persistent_store_and_runs_the_maintenance_job(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        await using var app = new WatchlogApp(test, s => s["Watchlog:Jobs:Enabled"] = "true");
        app.CreateClient();

        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // Quartz starts its schedulers once application start-up has completed, not during it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await scheduler.GetMetadata(CancellationToken.None)).Status != SchedulerStatus.Running && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var meta = await scheduler.GetMetadata(CancellationToken.None);
        Assert.Equal(SchedulerStatus.Running, meta.Status);
        Assert.True(meta.JobStorePersistent);
        Assert.Equal(engine == Engine.Postgres, meta.JobStoreClustered);
        Assert.NotNull(await scheduler.GetTrigger(new TriggerKey("optimize-database-nightly", "maintenance"), CancellationToken.None));
        if (engine == Engine.Sqlite) Assert.True(File.Exists(Path.Combine(test.DataDir, "quartz.db")));

        await scheduler.TriggerJob(new JobKey("optimize-database", "maintenance"), new JobDataMap(), CancellationToken.None);
        deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await scheduler.GetMetadata(CancellationToken.None)).JobsExecuted == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(1, (await scheduler.GetMetadata(CancellationToken.None)).JobsExecuted);
    }
}
