using Spectre.Console;

namespace Watchlog.Tests.Support;

/// <summary>Runs a CLI command in-process against a test database and captures what it prints (no colour, wide lines).</summary>
public static class CliRunner
{
    public static async Task<(int Code, string Output)> RunAsync(TestDb test, params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var code = await Watchlog.Cli.CliApp.RunAsync(args, console, test.Settings());
        return (code, output.ToString());
    }
}
