using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Watchlog.Data;
using Watchlog.Web.Layout;

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

        // wwwroot assets of a build that was not published (dotnet run, tests) are found through the build's manifest in
        // every environment, not only Development; a published app has them in its own wwwroot and this does nothing.
        if (builder is WebApplicationBuilder web) web.WebHost.UseStaticWebAssets();

        // The web UI: static server-rendered Razor Components (no interactive modes, no blazor.web.js), htmx when present.
        builder.Services.AddRazorComponents();
        // Antiforgery tokens are Data Protection payloads: keep the key ring in the data folder, so a restart does not
        // expire every open form. (Several nodes need a shared ring; docs/web.md.)
        builder.Services.AddDataProtection().SetApplicationName("watchlog");
        builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>().Configure<WatchlogSettings>((o, settings) =>
            o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(settings.DataDir, "keys")), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "watchlog_af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__af";
            o.HeaderName = "X-CSRF-Token";
        });
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, WebCookieHandler>(WebCookieHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(WebCookieHandler.Policy,
            p => p.AddAuthenticationSchemes(WebCookieHandler.SchemeName).RequireAuthenticatedUser());
        builder.Services.AddSingleton<SecurityHeaders>();
    }

    public static void UseWeb(this WebApplication app, WatchlogSettings settings)
    {
        app.UseForwardedHeaders();
        if (settings.BasePath.Length > 0) app.UsePathBase(settings.BasePath);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use((http, next) => headers.Apply(http, next));
        app.UseRouting();
        // After routing (endpoints' authorization metadata is known), before the endpoints run.
        app.UseAuthentication();
        app.UseAuthorization();
        // Form posts of the web UI carry an antiforgery token; API endpoints (token-authenticated) opt out.
        app.UseAntiforgery();
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
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
    }
}
