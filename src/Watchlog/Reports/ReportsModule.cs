using System.Globalization;
using Watchlog.Accounts;
using Watchlog.Tracking;
using Watchlog.Web;

namespace Watchlog.Reports;

/// <summary>
/// What a user gets out of their viewing log: their year in numbers (<c>GET /api/me/stats</c>) and all of their data
/// to take elsewhere (<c>GET /api/me/export</c>, docs/export.md). Signed-in users only, never cached, own rows only.
/// </summary>
public static class ReportsModule
{
    public const int MinYear = 1900, MaxYear = 2100;

    public static void AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StatsStore>();
        builder.Services.AddSingleton<ExportStore>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReportsApiJsonContext.Default));
    }

    /// <summary>Endpoints under <paramref name="api"/> (<c>/api</c>).</summary>
    public static void MapReports(this WebApplication app, IEndpointRouteBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Reports").RequireAuthorization().DisableAntiforgery().WithPrivateNoStore();
        me.MapGet("/stats", GetStatsAsync)
            .WithSummary("Your year in numbers: titles, episodes and minutes, per month, genre and platform, top series, longest daily streak")
            .WithDescription("`year` (1900–2100) defaults to the current year in your time zone, which also decides the day of every check-in.")
            .Produces<YearStats>().ProducesValidationProblem().ProducesProblem(401);
        me.MapGet("/export", ExportAsync)
            .WithSummary("All of your data: profile, preferences, platforms, check-ins, ratings and watchlist")
            .WithDescription("JSON by default; `format=csv` gives a zip of CSV files. The format is described in docs/export.md.")
            .Produces(200, contentType: "application/json").Produces(200, contentType: "application/zip")
            .ProducesValidationProblem().ProducesProblem(401);
    }

    static async Task<IResult> GetStatsAsync(string? year, CurrentUser me, StatsStore stats, TimeProvider clock, CancellationToken ct)
    {
        var zone = me.Zone;
        int value;
        if (string.IsNullOrEmpty(year)) value = TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone).Year;
        else if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < MinYear or > MaxYear)
            return FieldErrors.One("year", $"Give a year from {MinYear} to {MaxYear}.");
        return TypedResults.Ok(await stats.ForYearAsync(me.Id, zone, value, ct));
    }

    static async Task<IResult> ExportAsync(HttpContext http, string? format, CurrentUser me, ExportStore store, PreferenceStore preferenceStore,
        TimeProvider clock, CancellationToken ct)
    {
        var csv = format?.ToLowerInvariant() switch
        {
            null or "" or "json" => false,
            "csv" => true,
            _ => (bool?)null,
        };
        if (csv is null) return FieldErrors.One("format", "Give json (the default) or csv.");

        var now = clock.GetUtcNow().UtcDateTime;
        var preferences = await preferenceStore.GetPreferencesAsync(me.Id, ct);
        var response = http.Response;
        response.ContentType = csv.Value ? "application/zip" : "application/json; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{JsonExport.FileName(now, me.Zone, csv.Value ? "zip" : "json")}\"";
        if (csv.Value) await CsvExport.WriteAsync(response.Body, store, me.Id, preferences, ct);
        else await JsonExport.WriteAsync(response.Body, store, me.Id, preferences, now, ct);
        return TypedResults.Empty;
    }
}
