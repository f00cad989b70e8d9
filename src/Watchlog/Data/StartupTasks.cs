using Watchlog.Catalog;

namespace Watchlog.Data;

/// <summary>Before the server takes requests: apply migrations, then load the starter catalog into an empty database.</summary>
public sealed class StartupTasks(Migrator migrator, StarterCatalog starter, WatchlogSettings settings, ILogger<StartupTasks> log) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken ct)
    {
        var result = await migrator.MigrateAsync(ct);
        if (result.Applied.Count > 0)
            log.LogInformation("Applied {Count} migration(s){Backup}", result.Applied.Count,
                result.BackupPath is null ? "" : $"; the previous database was copied to {result.BackupPath}");
        if (settings.StarterCatalog) await starter.LoadIfEmptyAsync(ct);
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
