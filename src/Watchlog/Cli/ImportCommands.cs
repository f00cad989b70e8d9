using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Watchlog.Accounts;
using Watchlog.History;
using Watchlog.Imports.Catalog;

namespace Watchlog.Cli;

/// <summary><c>import catalog PATH --format jsonl|streaming-csv|imdb|movielens [--platform] [--region] [--source]</c>.</summary>
static class ImportCommands
{
    public static Command Create(CliContext cli)
    {
        var import = new Command("import", "Import data into Watchlog.");
        var path = new Argument<string>("path") { Description = "The file to import; for imdb the folder of its TSV files, for movielens the folder or its movies.csv." };
        var format = new Option<string>("--format", "-f") { Description = "jsonl, streaming-csv, imdb or movielens.", Required = true };
        var platform = new Option<string?>("--platform") { Description = "streaming-csv: the platform the catalog belongs to (slug or name, e.g. netflix or \"Disney+\")." };
        var region = new Option<string?>("--region") { Description = "streaming-csv: the two-letter region the catalog is for (default US)." };
        var source = new Option<string?>("--source") { Description = "The name of the source the file's ids belong to (default: by format). Re-importing the same source updates in place." };
        var batch = new Option<int>("--batch-size") { Description = "Rows per transaction.", DefaultValueFactory = _ => 2000 };
        var catalog = new Command("catalog", "Import a catalog of titles, with a progress bar and a summary.") { path, format, platform, region, source, batch };
        catalog.SetAction(async (pr, ct) =>
        {
            var size = pr.GetValue(batch);
            if (size is < 1 or > 100_000) { cli.Error("--batch-size must be between 1 and 100000"); return 2; }
            var options = new CatalogImportOptions(pr.GetValue(platform), pr.GetValue(region), pr.GetValue(source), size);
            ImportSummary? summary = null;
            var code = await DataCommands.RunAsync(cli, async services =>
            {
                var runner = services.GetRequiredService<CatalogImport>();
                summary = await RunWithProgressAsync(cli.Console, runner, pr.GetValue(path)!, pr.GetValue(format)!, options, ct);
            });
            if (summary is not null) Print(cli.Console, summary);
            return code;
        });
        import.Subcommands.Add(catalog);
        import.Subcommands.Add(HistoryCommand(cli));
        return import;
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static async Task<ImportSummary> RunWithProgressAsync(IAnsiConsole console, CatalogImport runner, string path, string format, CatalogImportOptions options, CancellationToken ct)
    {
        if (!console.Profile.Capabilities.Interactive)
            return await runner.RunAsync(path, format, options, new Progress<ImportSummary>(), ct);

        ImportSummary? result = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Importing {Path.GetFileName(path)}", maxValue: 100);
                task.IsIndeterminate = true;
                var reporter = new Progress<ImportSummary>(s =>
                {
                    task.Description = $"Importing {Path.GetFileName(path)}{Describe(s)}";
                    if (s.Fraction is { } f) { task.IsIndeterminate = false; task.Value = f * 100; }
                });
                result = await runner.RunAsync(path, format, options, reporter, ct);
                task.Value = 100;
            });
        return result!;
    }

    static string Describe(ImportSummary s)
    {
        var stage = s.Stage is { } name ? $" ({name})" : "";
        var people = s.People > 0 ? $"{s.People:N0} people, " : "";
        return $"{stage}: {people}{s.Read:N0} rows, {s.RowsPerSecond:N0}/s";
    }

    static void Print(IAnsiConsole console, ImportSummary s)
    {
        // Multi-pass formats (imdb) also read people and episodes: every row read (titles and episodes) ends up in
        // exactly one of imported, updated, merged, episodes or skipped; people are counted apart.
        var multiPass = s.Stages.Count > 0;
        var table = new Table().AddColumn("").AddColumn(new TableColumn("rows").RightAligned());
        table.AddRow(multiPass ? "read (title and episode rows)" : "read", N(s.Read));
        table.AddRow("imported (new titles)", N(s.Imported));
        table.AddRow("updated (same source again)", N(s.Updated));
        table.AddRow("merged (into a title from another source)", N(s.Merged));
        if (multiPass) table.AddRow("episodes (added or updated under their series)", N(s.Episodes));
        table.AddRow("skipped", N(s.Skipped));
        if (multiPass) table.AddRow("people (added or updated, not counted in read)", N(s.People));
        console.Write(table);
        console.MarkupLine($"{s.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, {s.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} rows/s");
        if (multiPass)
            console.MarkupLine(Markup.Escape(string.Join(", ", s.Stages.Select(t => $"{t.Name} {t.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"))));
        if (s.Skipped == 0) return;
        console.MarkupLine("[yellow]Skipped rows by reason:[/]");
        foreach (var (reason, count) in s.SkipReasons.OrderByDescending(r => r.Value))
            console.MarkupLine($"  {count.ToString("N0", CultureInfo.InvariantCulture),8}  {Markup.Escape(reason)}");
        console.MarkupLine("[yellow]First skipped rows:[/]");
        foreach (var r in s.SkippedRows.Take(20))
            console.MarkupLine($"  line {r.Line}: {Markup.Escape(r.Reason ?? "")}");
    }

    /// <summary><c>import history PATH --format … --user EMAIL [--profile NAME]</c>: the same importer as POST /api/imports, run here.</summary>
    static Command HistoryCommand(CliContext cli)
    {
        var path = new Argument<string>("path") { Description = "The export: a file, a zip, or (letterboxd, trakt) its unpacked folder." };
        var format = new Option<string>("--format", "-f") { Description = "netflix-history, netflix-activity, letterboxd, imdb-ratings, trakt or watchlog.", Required = true };
        var user = new Option<string>("--user", "-u") { Description = "The email of the account to import into.", Required = true };
        var profile = new Option<string?>("--profile") { Description = "netflix-activity: import only this profile's viewing." };
        var history = new Command("history", "Import a viewing history into an account, with a progress bar and a summary.") { path, format, user, profile };
        history.SetAction(async (pr, ct) =>
        {
            ImportView? view = null;
            var code = await DataCommands.RunAsync(cli, async services =>
            {
                var importer = services.GetRequiredService<HistoryImporter>();
                var fmt = importer.Format(pr.GetValue(format)!) ?? throw new HistoryFileException(
                    $"Unknown format '{pr.GetValue(format)}': use one of {string.Join(", ", importer.FormatNames)}.");
                var email = AccountRules.NormalizeEmail(pr.GetValue(user), out _) ?? pr.GetValue(user)!;
                var account = await services.GetRequiredService<UserStore>().FindByEmailAsync(email, ct)
                              ?? throw new HistoryFileException($"There is no account with the email {pr.GetValue(user)}.");
                var source = pr.GetValue(path)!;
                var bytes = Directory.Exists(source) ? ImportInput.ZipFolder(source) : await File.ReadAllBytesAsync(source, ct);
                var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(source));
                var (problem, _) = HistoryModule.Check(fmt, bytes, name, pr.GetValue(profile), TimeZoneInfo.FindSystemTimeZoneById(account.TimeZone));
                if (problem is not null) throw new HistoryFileException(problem);
                var store = services.GetRequiredService<ImportStore>();
                var clock = services.GetRequiredService<TimeProvider>();
                var id = await store.CreateAsync(account.Id, fmt.Name, "cli", pr.GetValue(profile), name, bytes, clock.GetUtcNow().UtcDateTime, ct);
                await RunHistoryWithProgressAsync(cli.Console, importer, id, name, ct);
                view = await store.GetAsync(account.Id, id, ct);
            });
            if (view is not null) PrintHistory(cli.Console, view);
            return view is { Status: "failed" } ? 1 : code;
        });
        return history;
    }

    static async Task RunHistoryWithProgressAsync(IAnsiConsole console, HistoryImporter importer, long id, string name, CancellationToken ct)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            await importer.RunAsync(id, null, ct);
            return;
        }
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Importing {name}", maxValue: 100);
                task.IsIndeterminate = true;
                var reporter = new Progress<ImportProgress>(p =>
                {
                    task.Description = $"Importing {name} ({p.Stage}): {p.Done:N0} of {p.Total:N0} rows";
                    if (p.Total > 0 && p.Stage == "writing") { task.IsIndeterminate = false; task.Value = 100.0 * p.Done / p.Total; }
                });
                await importer.RunAsync(id, reporter, ct);
                task.Value = 100;
            });
    }

    static void PrintHistory(IAnsiConsole console, ImportView v)
    {
        var table = new Table().AddColumn("").AddColumn(new TableColumn("rows").RightAligned());
        table.AddRow("read", N(v.RowsRead));
        table.AddRow("matched automatically", N(v.Matched));
        table.AddRow("  of which added", N(v.Added));
        table.AddRow("  of which already there", N(v.Duplicates));
        table.AddRow("needs review", N(v.NeedsReview));
        table.AddRow("skipped", N(v.Skipped));
        console.Write(table);
        var seconds = v.StartedAt is { } s && v.FinishedAt is { } f ? (f - s).TotalSeconds : 0;
        console.MarkupLine($"import {v.Id}: {Markup.Escape(v.Status)}" + (seconds > 0
            ? $", {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s, {(v.RowsRead / seconds).ToString("N0", CultureInfo.InvariantCulture)} rows/s" : ""));
        if (v.Error is not null) console.MarkupLine($"[red]{Markup.Escape(v.Error)}[/]");
        if (v.NeedsReview > 0) console.MarkupLine($"Review the open rows: GET /api/imports/{v.Id}/review");
        foreach (var r in v.SkipReasons.Take(10)) console.MarkupLine($"  {r.Count.ToString("N0", CultureInfo.InvariantCulture),8}  {Markup.Escape(r.Reason)}");
    }
}
