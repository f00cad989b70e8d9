using Watchlog.Search;

namespace Watchlog.Web;

/// <summary>
/// The HTML pages' Content-Security-Policy: scripts, styles and everything else from this origin only (htmx is served
/// from here, configured by a meta tag, with no inline script, no eval and no injected styles), images also from the
/// poster host. The API docs under /docs and /redoc run Swagger UI's and ReDoc's own inline code, so they go without it.
/// </summary>
public sealed class SecurityHeaders(SearchImages images)
{
    string? _policy;

    public string Policy => _policy ??= Build(images.Absolute("/x"));

    static string Build(string? sample)
    {
        var imageHost = sample is not null && Uri.TryCreate(sample, UriKind.Absolute, out var uri) ? $" {uri.Scheme}://{uri.Authority}" : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" + imageHost +
               "; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
    }

    public static bool Exempt(PathString path) =>
        path.StartsWithSegments("/docs") || path.StartsWithSegments("/redoc");

    public Task Apply(HttpContext http, Func<Task> next)
    {
        if (!Exempt(http.Request.Path))
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    headers.ContentSecurityPolicy = Policy;
                    headers["Referrer-Policy"] = "same-origin";
                }
                headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
        }
        return next();
    }
}
