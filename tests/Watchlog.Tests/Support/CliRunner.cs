using Spectre.Console;

namespace Watchlog.Tests.Support;

/// <summary>Runs a CLI command in-process against a test database and captures what it prints (no colour, wide lines).</summary>
public static class CliRunner
{
    public static Task<(int Code, string Output)> RunAsync(TestDb test, params string[] args) => RunAsync(test.Settings(), args);

    /// <summary>With settings of the test's choosing (e.g. a metadata provider's base URL).</summary>
    public static async Task<(int Code, string Output)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var code = await Watchlog.Cli.CliApp.RunAsync(args, console, settings);
        return (code, output.ToString());
    }
}
