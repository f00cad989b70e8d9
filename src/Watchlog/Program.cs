using Watchlog;
using Watchlog.Accounts;
using Watchlog.Catalog;
using Watchlog.Cli;
using Watchlog.Data;
using Watchlog.History;
using Watchlog.Imports;
using Watchlog.Jobs;
using Watchlog.Metadata;
using Watchlog.Reports;
using Watchlog.Search;
using Watchlog.Tracking;
using Watchlog.Web;
using Watchlog.Webhooks;

// One executable: `watchlog` / `watchlog serve` runs the API, web UI and jobs; any other command is the CLI.
if (CliApp.IsCommand(args)) return await CliApp.RunAsync(args);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args.SkipWhile(a => a == "serve").ToArray(),
    ContentRootPath = AppContext.BaseDirectory,
});
WatchlogSettings settings;
try
{
    settings = Program.AddFeatures(builder);
    settings.ApplyUrls(builder);
}
catch (SettingsException e) { return CliApp.Fail(e.Message); }
builder.AddWeb();

var app = builder.Build();
app.UseWeb(settings);
var api = app.MapGroup("/api");
app.MapAccounts(api);
app.MapMetadata(api);
app.MapCatalog(api);
app.MapSearch(api);
app.MapTracking(api);
app.MapReports(api);
app.MapHistory(api);
app.MapWebhooks();
app.MapWeb();
app.Lifetime.ApplicationStarted.Register(() => settings.PrintListening(app));
await app.RunAsync();
return 0;

public partial class Program
{
    /// <summary>Every feature, for the server and the CLI alike. Throws <see cref="SettingsException"/> on a bad setting.</summary>
    internal static WatchlogSettings AddFeatures(IHostApplicationBuilder builder)
    {
        var settings = WatchlogSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.AddData(settings);
        builder.AddJobs(settings);
        builder.AddAccounts();
        builder.AddCatalog();
        builder.AddSearch();
        builder.AddTracking();
        builder.AddReports();
        builder.AddImports();
        builder.AddHistory();
        builder.AddMetadata(settings);
        builder.Services.AddHostedService<StartupTasks>();
        return settings;
    }
}
