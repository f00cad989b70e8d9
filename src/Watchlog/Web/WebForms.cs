using Microsoft.AspNetCore.Antiforgery;

namespace Watchlog.Web;

/// <summary>
/// The web UI's form posts: plain HTML forms (they work without JavaScript; htmx boosts them when present) post to
/// these endpoints, which call the same feature code as the JSON API and answer 303 to the page to show next
/// (post/redirect/get), with a one-time message. Each needs the antiforgery token the form carries, and all but
/// sign-in and sign-up a signed-in web session.
/// </summary>
public static class WebForms
{
    public static RouteHandlerBuilder MapForm(this IEndpointRouteBuilder app, string pattern, Delegate handler, bool anonymous = false)
    {
        var route = app.MapPost(pattern, handler).ExcludeFromDescription().WithMetadata(new RequireAntiforgeryTokenAttribute(true))
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
                {
                    // An expired page or a cross-site post: nothing is done; the user's own page just needs a reload.
                    WebAuth.Flash(http, "This form had expired and was not sent. Please try again.", error: true);
                    return WebAuth.SeeOther(http, LocalReferer(http));
                }
                if (!http.Request.HasFormContentType)
                    return TypedResults.Problem("Send the form as application/x-www-form-urlencoded or multipart/form-data.",
                        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
                return await next(context);
            });
        return anonymous ? route.AllowAnonymous() : route.RequireAuthorization(WebCookieHandler.Policy);
    }

    static string LocalReferer(HttpContext http)
    {
        if (!Uri.TryCreate(http.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            || !string.Equals(referer.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)) return "/";
        var path = referer.AbsolutePath;
        var bases = http.Request.PathBase.Value ?? "";
        if (bases.Length > 0 && path.StartsWith(bases, StringComparison.Ordinal)) path = path[bases.Length..];
        return path + referer.Query;
    }

    public static string Field(this IFormCollection form, string name) => form[name].ToString().Trim();

    public static string? Optional(this IFormCollection form, string name) => form[name].ToString().Trim() is { Length: > 0 } v ? v : null;

    /// <summary>Every message of a 400 in one line, for the flash message.</summary>
    public static string Describe(FieldErrors errors) =>
        string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value));
}
