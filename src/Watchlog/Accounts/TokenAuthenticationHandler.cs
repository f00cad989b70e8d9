using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Watchlog.Web;

namespace Watchlog.Accounts;

/// <summary>
/// The one authentication scheme: <c>Authorization: Bearer &lt;access token&gt;</c>, or a personal API key in
/// <c>X-Api-Key</c> (or <c>?key=</c>, for webhook senders that can't set headers). Both are looked up by hash in
/// the database on every request (TOOLCHAIN.md pitfall 16): revocation is immediate and any node can answer.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SessionStore sessions, ApiKeyStore keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ApiKeyQuery = "key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var ct = Context.RequestAborted;
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return AuthenticateResult.Fail("Only Bearer credentials are accepted in the Authorization header.");
            var user = await sessions.AuthenticateAsync(authorization["Bearer ".Length..].Trim(), ct);
            return user is null ? AuthenticateResult.Fail("The access token is invalid, expired or revoked.") : Success(user);
        }

        var key = Request.Headers[ApiKeyHeader].ToString();
        if (key.Length == 0) key = Request.Query[ApiKeyQuery].ToString();
        if (key.Length > 0)
        {
            var user = await keys.AuthenticateAsync(key.Trim(), ct);
            return user is null ? AuthenticateResult.Fail("The API key is invalid or was deleted.") : Success(user);
        }
        return AuthenticateResult.NoResult();
    }

    AuthenticateResult Success(CurrentUser user) =>
        AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(SchemeName), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        Response.Headers.CacheControl = HttpCaching.PrivateNoStore;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure?.Message ?? "Sign in: send 'Authorization: Bearer <access token>' or an API key in 'X-Api-Key'.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.CacheControl = HttpCaching.PrivateNoStore;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = "This needs an administrator." },
        });
    }
}
