using System.Globalization;
using System.Threading.Channels;
using Dapper;
using Quartz;
using Watchlog.Data;

namespace Watchlog.History;

/// <summary>
/// Starts stored imports in the background. With jobs enabled, each import is a durable Quartz job in the persistent
/// (on PostgreSQL clustered) store, so any node may run it and a job cut off by a restart is recovered. With jobs
/// disabled (tests, a single node configured so), a local runner in this process does the same, picking up queued
/// imports at start; the claim in <see cref="HistoryImporter.RunAsync"/> makes sure each import runs once either way.
/// </summary>
public sealed class ImportQueue(WatchlogSettings settings, IServiceProvider services, LocalImportRunner local)
{
    public const string JobGroup = "history-imports";

    public async Task EnqueueAsync(long importId, CancellationToken ct)
    {
        if (!settings.JobsEnabled)
        {
            local.Post(importId);
            return;
        }
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        var id = importId.ToString(CultureInfo.InvariantCulture);
        var job = JobBuilder.Create<HistoryImportJob>().WithIdentity($"import-{id}", JobGroup).UsingJobData(HistoryImportJob.ImportIdKey, id)
            .RequestRecovery().Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"import-{id}", JobGroup).StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
    }
}

/// <summary>Runs one history import as a Quartz job (recovered after a crash: the run starts over and adds nothing twice).</summary>
public sealed class HistoryImportJob(HistoryImporter importer) : IJob
{
    public const string ImportIdKey = "importId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var id = long.Parse(context.MergedJobDataMap.GetString(ImportIdKey)!, CultureInfo.InvariantCulture);
        await importer.RunAsync(id, null, ct, recovering: context.Recovering);
    }
}

/// <summary>The in-process runner used when Quartz is off: a queue of import ids worked one at a time.</summary>
public sealed class LocalImportRunner(IServiceProvider services, ILogger<LocalImportRunner> log) : BackgroundService
{
    readonly Channel<(long Id, bool Recovering)> _queue = Channel.CreateUnbounded<(long, bool)>();

    public void Post(long importId, bool recovering = false) => _queue.Writer.TryWrite((importId, recovering));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = services.GetRequiredService<WatchlogSettings>();
        var importer = services.GetRequiredService<HistoryImporter>();
        if (!settings.JobsEnabled)
        {
            try
            {
                // Imports queued (or cut off) before this process started.
                var db = services.GetRequiredService<Db>();
                await using var conn = await db.OpenAsync(stoppingToken);
                foreach (var id in await conn.QueryAsync<long>(new CommandDefinition(
                             "SELECT id FROM history_imports WHERE status IN ('queued', 'running') AND source = 'upload' ORDER BY id", cancellationToken: stoppingToken)))
                    Post(id, recovering: true);
            }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Could not look for queued history imports"); }
        }
        await foreach (var (id, recovering) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try { await importer.RunAsync(id, null, stoppingToken, recovering); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { log.LogError(e, "History import {ImportId} failed", id); }
        }
    }
}
