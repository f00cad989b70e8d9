using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Watchlog.Accounts;

namespace Watchlog.Web;

/// <summary>
/// The web UI's sign-in: the cookie holds an access token of an ordinary session (the same <c>sessions</c> table the API's
/// bearer tokens use), so signing out, a password change and account deletion revoke it at once on every node. Pages and
/// form posts ask for the <see cref="Policy"/>; the API keeps its token-only scheme, so the cookie never authorizes an API
/// call. A page visited signed out redirects to the sign-in page (htmx requests get <c>HX-Redirect</c>).
/// </summary>
public sealed class WebCookieHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SessionStore sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WebCookie";
    public const string Policy = "Web";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Cookies[WebAuth.CookieName];
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        var user = await sessions.AuthenticateAsync(token, Context.RequestAborted);
        return user is null
            ? AuthenticateResult.Fail("The session has ended.")
            : AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var back = Request.Path + Request.QueryString;
        var target = $"{Request.PathBase}/signin?return={Uri.EscapeDataString(back)}";
        Response.Headers.CacheControl = HttpCaching.PrivateNoStore;
        if (Request.Headers.ContainsKey("HX-Request"))
        {
            Response.StatusCode = StatusCodes.Status200OK;
            Response.Headers["HX-Redirect"] = target;
        }
        else Response.Redirect(target);
        return Task.CompletedTask;
    }
}

/// <summary>The session cookie and the small helpers every page and form endpoint shares.</summary>
public static class WebAuth
{
    public const string CookieName = "watchlog_session";
    const string FlashCookie = "watchlog_flash";

    /// <summary>
    /// HttpOnly (no script reads it), SameSite=Lax (no cross-site form post carries it) and Secure whenever the request came
    /// over HTTPS, directly or through a trusted proxy's X-Forwarded-Proto. Over plain http://localhost a Secure cookie
    /// would never come back, so it is not marked there.
    /// </summary>
    public static void SignIn(HttpContext http, IssuedTokens tokens) =>
        http.Response.Cookies.Append(CookieName, tokens.AccessToken, Options(http, new DateTimeOffset(tokens.ExpiresAt, TimeSpan.Zero)));

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(CookieName, Options(http, null));

    static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/",
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>A local path to go back to after a form; anything else (another site, a protocol-relative URL) goes home.</summary>
    public static string LocalPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith("/\\", StringComparison.Ordinal)
            || path.Any(char.IsControl)) return "/";
        return path;
    }

    /// <summary>303 See Other to a local path (under the base path): the browser, and htmx, follow it with a GET.</summary>
    public static IResult SeeOther(HttpContext http, string? path)
    {
        http.Response.Headers.CacheControl = HttpCaching.PrivateNoStore;
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = http.Request.PathBase + LocalPath(path);
        return TypedResults.Empty;
    }

    /// <summary>A message for the next page the user sees (after the redirect), e.g. what a form changed or why it was refused.</summary>
    public static void Flash(HttpContext http, string message, bool error = false) =>
        http.Response.Cookies.Append(FlashCookie, (error ? "!" : "") + message, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true,
            Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/", MaxAge = TimeSpan.FromMinutes(5),
        });

    /// <summary>Takes the pending message (once): the text and whether it reports an error.</summary>
    public static (string Text, bool Error)? TakeFlash(HttpContext http)
    {
        if (http.Request.Cookies[FlashCookie] is not { Length: > 0 } value) return null;
        if (!http.Response.HasStarted)
            http.Response.Cookies.Delete(FlashCookie, new CookieOptions { Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/" });
        var text = value.StartsWith('!') ? value[1..] : value;
        return text.Length == 0 ? null : (text.Length > 500 ? text[..500] : text, value.StartsWith('!'));
    }

    /// <summary>Sets the status of a page that still renders its own body (the problem+json status pages are for API clients).</summary>
    public static void Status(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
    }

    public static CurrentUser Me(HttpContext http) =>
        CurrentUser.From(http.User) ?? throw new InvalidOperationException("This page needs the Web policy.");
}
