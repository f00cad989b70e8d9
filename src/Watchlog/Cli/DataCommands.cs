using System.CommandLine;
using Spectre.Console;
using Watchlog.Data;

namespace Watchlog.Cli;

/// <summary><c>migrate</c>, <c>backup PATH</c>, <c>restore PATH</c>.</summary>
static class DataCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        var migrate = new Command("migrate", "Apply pending database migrations (the server also does this at start).");
        migrate.SetAction(async (_, ct) =>
        {
            using var host = cli.BuildHost();
            if (host is null) return 2;
            var migrator = host.Services.GetRequiredService<Migrator>();
            var result = await migrator.MigrateAsync(ct);
            if (result.BackupPath is not null) cli.Console.MarkupLine($"Copied the database to [bold]{Markup.Escape(result.BackupPath)}[/] first.");
            foreach (var name in result.Applied) cli.Console.MarkupLine($"applied {Markup.Escape(name)}");
            cli.Console.MarkupLine(result.Applied.Count == 0 ? "The database is up to date." : $"{result.Applied.Count} migration(s) applied.");
            return 0;
        });
        yield return migrate;

        var backupPath = new Argument<string>("path") { Description = "The backup file to write (must not exist yet)." };
        var backup = new Command("backup", "Write a consistent copy of the database while the server keeps running " +
                                           "(SQLite: VACUUM INTO; PostgreSQL: pg_dump --format=custom).") { backupPath };
        backup.SetAction(async (pr, ct) => await RunAsync(cli, async services =>
        {
            var target = await services.GetRequiredService<Backup>().BackupAsync(pr.GetValue(backupPath)!, ct);
            cli.Console.MarkupLine($"Backed up to [bold]{Markup.Escape(target)}[/] ({new FileInfo(target).Length / 1024.0 / 1024:0.0} MB).");
        }));
        yield return backup;

        var restorePath = new Argument<string>("path") { Description = "A file written by 'watchlog backup'." };
        var restore = new Command("restore", "Replace the database with a backup (the current one is copied aside first on SQLite; " +
                                             "PostgreSQL uses pg_restore --clean).") { restorePath };
        restore.SetAction(async (pr, ct) => await RunAsync(cli, async services =>
        {
            var result = await services.GetRequiredService<Backup>().RestoreAsync(pr.GetValue(restorePath)!, ct);
            if (result.CopiedAsideTo is not null) cli.Console.MarkupLine($"The previous database was copied to [bold]{Markup.Escape(result.CopiedAsideTo)}[/].");
            cli.Console.MarkupLine($"Restored from [bold]{Markup.Escape(result.Source)}[/]" +
                                   (result.MigrationsApplied.Count > 0 ? $" and applied {result.MigrationsApplied.Count} newer migration(s)." : "."));
        }));
        yield return restore;
    }

    /// <summary>Migrates first (a command never runs on an old schema), then runs the work; BackupException → exit 1 with its message.</summary>
    internal static async Task<int> RunAsync(CliContext cli, Func<IServiceProvider, Task> work)
    {
        using var host = cli.BuildHost();
        if (host is null) return 2;
        await host.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        try
        {
            await work(host.Services);
            return 0;
        }
        catch (Exception e) when (e is BackupException or Imports.Catalog.ImportException or History.HistoryFileException or IOException or UnauthorizedAccessException)
        {
            cli.Error(e.Message);
            return 1;
        }
        finally
        {
            await host.Services.GetRequiredService<Db>().DisposeAsync();
        }
    }
}
