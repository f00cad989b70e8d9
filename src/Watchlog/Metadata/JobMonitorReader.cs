using Quartz;
using Watchlog.Web;

namespace Watchlog.Metadata;

/// <summary>
/// The job monitor's one read, shared by <c>GET /api/admin/jobs</c> and the admin page (Metadata/Pages/Jobs.razor): sync
/// counts by state, the scheduled jobs with their fire times, and the most recent sync-log entries.
/// </summary>
public sealed class JobMonitorReader(SyncLog log, IServiceProvider services)
{
    public const int DefaultLimit = 50;
    public static readonly IReadOnlyList<string> Statuses = ["succeeded", "failed", "retrying", "not_found"];

    /// <summary>Checks the filter as the client sent it (<c>limit</c> 1–500, <c>status</c> one of <see cref="Statuses"/>).</summary>
    public static FieldErrors Check(string? limit, string? status, out int n)
    {
        var errors = new FieldErrors();
        n = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n) || n is < 1 or > 500))
            errors.Add("limit", "Must be a whole number from 1 to 500.");
        if (status is not null && !Statuses.Contains(status)) errors.Add("status", "Must be succeeded, failed, retrying or not_found.");
        return errors;
    }

    public async Task<JobMonitor> ReadAsync(int limit, string? status, CancellationToken ct)
    {
        var scheduled = new List<ScheduledJob>();
        if (services.GetService<ISchedulerFactory>() is { } factory)
        {
            var scheduler = await factory.GetScheduler(ct);
            foreach (var group in new[] { "metadata", "maintenance" })
                foreach (var t in (await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(group) }, ct)).Items)
                    scheduled.Add(new ScheduledJob(t.JobKey.Name, t.Key.Name, (await scheduler.GetTrigger(t.Key, ct) as ICronTrigger)?.CronExpressionString,
                        t.NextFireTimeUtc?.UtcDateTime, t.PreviousFireTimeUtc?.UtcDateTime, t.State.ToString().ToLowerInvariant()));
        }
        scheduled.Sort((a, b) => string.CompareOrdinal(a.Job, b.Job));
        return new JobMonitor(await log.CountsAsync(ct), scheduled, await log.RecentAsync(limit, status, ct));
    }
}
