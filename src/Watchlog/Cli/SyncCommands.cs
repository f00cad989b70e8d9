using System.CommandLine;
using Spectre.Console;
using Watchlog.Metadata;

namespace Watchlog.Cli;

/// <summary>
/// <c>sync title --tmdb 1396 --type series</c> (or <c>--tvdb</c>, <c>--imdb</c>, <c>--id</c>) and <c>sync stale [--limit N]</c>:
/// operator commands that sync now, in this process, and print what happened (the sync log records it as a job would).
/// </summary>
static class SyncCommands
{
    public static Command Create(CliContext cli)
    {
        var sync = new Command("sync", "Fetch metadata from TMDB / TheTVDB now (needs Watchlog:Metadata credentials).");
        sync.Subcommands.Add(Title(cli));
        sync.Subcommands.Add(Stale(cli));
        return sync;
    }

    static Command Title(CliContext cli)
    {
        var tmdb = new Option<int?>("--tmdb") { Description = "TMDB id (with --type)." };
        var tvdb = new Option<int?>("--tvdb") { Description = "TheTVDB id (with --type)." };
        var imdb = new Option<string?>("--imdb") { Description = "IMDb id, like tt0903747." };
        var id = new Option<long?>("--id") { Description = "A title already in the catalog, by its Watchlog id." };
        var type = new Option<string?>("--type") { Description = "movie or series." };
        var command = new Command("title", "Sync one title (added to the catalog when missing).") { tmdb, tvdb, imdb, id, type };
        command.SetAction(async (pr, ct) =>
        {
            var code = 0;
            var rc = await DataCommands.RunAsync(cli, async services =>
            {
                var (m, v, i, t, k) = (pr.GetValue(tmdb), pr.GetValue(tvdb), pr.GetValue(imdb), pr.GetValue(id), pr.GetValue(type));
                var error = new[] { m is not null, v is not null, i is not null, t is not null }.Count(x => x) != 1 ? "give exactly one of --tmdb, --tvdb, --imdb or --id"
                    : (m is not null || v is not null) && k is not ("movie" or "series") ? "--type must be movie or series with --tmdb or --tvdb"
                    : m is <= 0 || v is <= 0 ? "ids must be positive"
                    : i is not null && !Catalog.EntryRules.IsImdbTitleId(i) ? "--imdb must look like tt0903747"
                    : !services.GetRequiredService<MetadataOptions>().AnyProvider ? "no metadata provider is configured (Watchlog:Metadata:Tmdb:ApiKey or ReadAccessToken, Watchlog:Metadata:Tvdb:ApiKey)"
                    : null;
                if (error is not null) { cli.Error(error); code = 2; return; }
                long titleId;
                if (t is { } known) titleId = known;
                else
                {
                    var pending = await services.GetRequiredService<SyncQueue>().EnsurePendingAsync(k ?? "movie", m, v, i, ct);
                    titleId = pending!.Value.Id;
                }
                var outcome = await services.GetRequiredService<TitleSync>().SyncAsync(titleId, 1, finalAttempt: true, ct);
                code = Report(cli, outcome);
            });
            return rc != 0 ? rc : code;
        });
        return command;
    }

    static Command Stale(CliContext cli)
    {
        var limit = new Option<int?>("--limit") { Description = "Sync at most this many titles." };
        var command = new Command("stale", "Sync every title not synced for Watchlog:Metadata:StaleDays (7) days, oldest id first.") { limit };
        command.SetAction(async (pr, ct) =>
        {
            var code = 0;
            var rc = await DataCommands.RunAsync(cli, async services =>
            {
                if (!services.GetRequiredService<MetadataOptions>().AnyProvider) { cli.Error("no metadata provider is configured"); code = 2; return; }
                var stale = services.GetRequiredService<StaleTitles>();
                var sync = services.GetRequiredService<TitleSync>();
                var max = pr.GetValue(limit) ?? int.MaxValue;
                int done = 0, failed = 0;
                long after = 0;
                while (done + failed < max)
                {
                    var batch = await stale.NextBatchAsync(after, ct);
                    if (batch.Count == 0) break;
                    foreach (var id in batch.Take(max - done - failed))
                    {
                        var outcome = await sync.SyncAsync(id, 1, finalAttempt: true, ct);
                        if (outcome.Status == SyncStatus.Succeeded) done++;
                        else
                        {
                            failed++;
                            cli.Console.MarkupLine($"[yellow]title {id}:[/] {Markup.Escape(outcome.Error ?? outcome.Status.ToString())}");
                        }
                    }
                    after = batch[^1];
                }
                cli.Console.MarkupLine($"Synced [bold]{done}[/] title(s), {failed} failed.");
                if (failed > 0 && done == 0) code = 1;
            });
            return rc != 0 ? rc : code;
        });
        return command;
    }

    static int Report(CliContext cli, SyncOutcome o)
    {
        switch (o.Status)
        {
            case SyncStatus.Succeeded:
                cli.Console.MarkupLine($"Synced title [bold]{o.TitleId}[/] from {o.Providers} in {o.DurationMs} ms.");
                return 0;
            case SyncStatus.NotFound:
                cli.Error($"{o.Providers}: no such title ({o.Error}).");
                return 1;
            default:
                cli.Error($"sync of title {o.TitleId} failed: {o.Error}");
                return 1;
        }
    }
}
