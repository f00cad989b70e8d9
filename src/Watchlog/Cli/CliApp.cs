using System.CommandLine;
using Spectre.Console;

namespace Watchlog.Cli;

/// <summary>
/// The command line: <c>watchlog migrate</c>, <c>backup</c>, <c>restore</c>, <c>import catalog</c>, <c>user create</c>, … Commands run
/// in-process against the same data folder and configuration as the server (appsettings.json, then
/// <c>Watchlog__…</c> environment variables), and may run while a server uses the same database.
/// </summary>
public static class CliApp
{
    static readonly string[] Names = ["migrate", "backup", "restore", "import", "user", "sync", "help", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"watchlog: {message}");
        return 2;
    }

    /// <summary>Runs a command. Tests pass their own console and configuration.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole? console = null, IDictionary<string, string?>? config = null)
    {
        console ??= AnsiConsole.Console;
        var root = new RootCommand("Watchlog: a self-hosted TV & film tracker, metadata search service and recommender. " +
                                   "Without a command (or with 'serve') it runs the server.");
        var context = new CliContext(console, config);
        root.Subcommands.Add(new Command("serve", "Run the HTTP API, web UI and background jobs (the default)."));
        foreach (var command in DataCommands.Create(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(ImportCommands.Create(context));
        root.Subcommands.Add(UserCommands.Create(context));
        root.Subcommands.Add(SyncCommands.Create(context));
        if (args is ["help"]) args = ["--help"];
        return await root.Parse(args).InvokeAsync();
    }
}

/// <summary>What every command needs: where to write, and a host built from the same settings as the server.</summary>
public sealed class CliContext(IAnsiConsole console, IDictionary<string, string?>? config)
{
    public IAnsiConsole Console => console;

    /// <summary>Builds the application's services (no server, no jobs); null after printing the reason when a setting is wrong.</summary>
    public IHost? BuildHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        if (config is not null) builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Watchlog:Jobs:Enabled"] = "false";
        try { Program.AddFeatures(builder); }
        catch (SettingsException e)
        {
            Error(e.Message);
            return null;
        }
        return builder.Build();
    }

    public void Error(string message) => console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
}
