using Microsoft.AspNetCore.HttpOverrides;
using Watchlog.Data;

namespace Watchlog.Web;

public static class WebModule
{
    public static void AddWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions.Remove("exception"));
        builder.Services.AddValidation();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Watchlog API";
            doc.Info.Description = "Self-hosted TV & film tracker, metadata search service and recommender.";
            return Task.CompletedTask;
        }));
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<WatchlogSettings>((o, settings) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in settings.KnownProxies) o.KnownIPNetworks.Add(network);
        });
        builder.Services.AddHealthChecks();
    }

    public static void UseWeb(this WebApplication app, WatchlogSettings settings)
    {
        app.UseForwardedHeaders();
        if (settings.BasePath.Length > 0) app.UsePathBase(settings.BasePath);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        // After routing (endpoints' authorization metadata is known), before the endpoints run.
        app.UseAuthentication();
        app.UseAuthorization();
    }

    public static void MapWeb(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("../openapi/v1.json", "Watchlog API v1");
            o.DocumentTitle = "Watchlog API";
        });
        app.UseReDoc(o =>
        {
            o.RoutePrefix = "redoc";
            o.SpecUrl = "../openapi/v1.json";
            o.DocumentTitle = "Watchlog API";
        });
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet("/readyz", DataModule.ReadyAsync).ExcludeFromDescription();
        app.MapGet("/", Home).ExcludeFromDescription();
    }

    // Until the web app lands (issue 6), the root page says what is here and where to go.
    static IResult Home(HttpContext http)
    {
        var b = System.Net.WebUtility.HtmlEncode(http.Request.PathBase.Value ?? "");
        return TypedResults.Content($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Watchlog</title><link rel="icon" href="data:,"></head>
            <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
            <main>
            <h1>Watchlog</h1>
            <p>Your self-hosted TV &amp; film log, metadata search service and recommender is running.</p>
            <ul>
              <li><a href="{b}/docs">API reference (Swagger UI)</a> · <a href="{b}/redoc">ReDoc</a> · <a href="{b}/openapi/v1.json">OpenAPI document</a></li>
              <li><a href="{b}/api/titles/1">A title from the catalog</a> · <a href="{b}/api/platforms">Platforms</a></li>
              <li><a href="{b}/readyz">Readiness</a></li>
            </ul>
            </main></body></html>
            """, "text/html; charset=utf-8");
    }
}
