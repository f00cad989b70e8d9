using System.Globalization;
using Watchlog.Web;

namespace Watchlog.Accounts;

/// <summary><c>/auth/*</c>: sign-up, sign-in, tokens and the signed-in user's own account.</summary>
static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Accounts").DisableAntiforgery().WithPrivateNoStore();

        auth.MapPost("/register", RegisterAsync).AllowAnonymous()
            .WithSummary("Create an account (the first account becomes admin)")
            .WithDescription("Needs `invite_code` when Watchlog:Registration is `invite`; answers 403 when it is `closed`.")
            .Accepts<RegisterRequest>("application/json")
            .Produces<UserView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
        auth.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithSummary("Sign in with email and password: an access token and a refresh token")
            .WithDescription("Wrong email and wrong password give the same 401. Repeated failures for one email from one address answer 429 with Retry-After.")
            .Accepts<LoginRequest>("application/json")
            .Produces<TokenResponse>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429);
        auth.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithSummary("Trade a refresh token for a new token pair (the old pair stops working)")
            .WithDescription("Presenting an already used refresh token again revokes that whole session.")
            .Accepts<RefreshRequest>("application/json")
            .Produces<TokenResponse>().ProducesValidationProblem().ProducesProblem(401);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization()
            .WithSummary("Sign out: revoke this session's tokens at once")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(401);
        auth.MapGet("/me", GetMeAsync).RequireAuthorization()
            .WithSummary("The signed-in user")
            .Produces<UserView>().ProducesProblem(401);
        auth.MapPatch("/me", UpdateMeAsync).RequireAuthorization()
            .WithSummary("Change names, time zone, region or email (email needs current_password)")
            .Accepts<UpdateMeRequest>("application/json")
            .Produces<UserView>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(409).ProducesProblem(429);
        auth.MapPost("/me/password", ChangePasswordAsync).RequireAuthorization()
            .WithSummary("Change the password; every other session is signed out")
            .Accepts<ChangePasswordRequest>("application/json")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429);
    }

    static async Task<IResult> RegisterAsync(HttpRequest http, RegisterUser register, AccountsOptions options, CancellationToken ct)
    {
        if (options.Registration == RegistrationMode.Closed)
            return TypedResults.Problem("Registration is closed on this server; ask its operator for an account.", statusCode: StatusCodes.Status403Forbidden, title: "Registration closed");
        var (body, error) = await JsonBody.ReadAsync(http, AccountsApiJsonContext.Default.RegisterRequest, ct);
        if (error is not null) return error;
        return await register.RunAsync(body!, byOperator: false, admin: false, ct) switch
        {
            RegisterOutcome.Created c => TypedResults.Created((string?)null, UserView.From(c.User)),
            RegisterOutcome.Invalid i => i.Errors.ToResult(),
            _ => EmailTaken(),
        };
    }

    static async Task<IResult> LoginAsync(HttpContext http, SignIn signIn, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, AccountsApiJsonContext.Default.LoginRequest, ct);
        if (error is not null) return error;
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(body!.Email)) errors.Add("email", "Enter your email address.");
        if (string.IsNullOrEmpty(body.Password)) errors.Add("password", "Enter your password.");
        if (errors.Any) return errors.ToResult();

        return await signIn.RunAsync(body.Email!, body.Password!, ClientInfo.From(http), ct) switch
        {
            SignInOutcome.SignedIn s => TypedResults.Ok(TokenAnswer(s.Tokens, s.User)),
            SignInOutcome.Throttled t => TooManyAttempts(http, t.RetryAfter),
            _ => TypedResults.Problem("The email address or the password is not correct.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed"),
        };
    }

    static async Task<IResult> RefreshAsync(HttpContext http, SessionStore sessions, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, AccountsApiJsonContext.Default.RefreshRequest, ct);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(body!.RefreshToken)) return FieldErrors.One("refresh_token", "Send the refresh token from sign-in or the last refresh.");
        return await sessions.RefreshAsync(body.RefreshToken.Trim(), ClientInfo.From(http), ct) switch
        {
            RefreshOutcome.Refreshed r => TypedResults.Ok(TokenAnswer(r.Tokens, r.User)),
            RefreshOutcome.Reused => TypedResults.Problem("This refresh token was already used; the session has been signed out everywhere. Sign in again.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Refresh token reused"),
            _ => TypedResults.Problem("The refresh token is invalid, expired or revoked. Sign in again.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
        };
    }

    static async Task<IResult> LogoutAsync(CurrentUser me, SessionStore sessions, CancellationToken ct)
    {
        if (me.SessionFamily is null)
            return TypedResults.Problem("An API key has no session to sign out of; delete the key instead (DELETE /api/me/keys/{id}).",
                statusCode: StatusCodes.Status400BadRequest, title: "Not a session");
        await sessions.RevokeFamilyAsync(me.SessionFamily, ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> GetMeAsync(CurrentUser me, UserStore users, CancellationToken ct) =>
        await users.GetAsync(me.Id, ct) is { } user ? TypedResults.Ok(UserView.From(user)) : Gone();

    static async Task<IResult> UpdateMeAsync(HttpContext http, CurrentUser me, ManageAccount manage, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, AccountsApiJsonContext.Default.UpdateMeRequest, ct);
        if (error is not null) return error;
        return Answer(http, await manage.UpdateProfileAsync(me, body!, ClientInfo.From(http), ct),
            done => TypedResults.Ok(UserView.From(done.User!)));
    }

    static async Task<IResult> ChangePasswordAsync(HttpContext http, CurrentUser me, ManageAccount manage, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, AccountsApiJsonContext.Default.ChangePasswordRequest, ct);
        if (error is not null) return error;
        return Answer(http, await manage.ChangePasswordAsync(me, body!, ClientInfo.From(http), ct), _ => TypedResults.NoContent());
    }

    /// <summary>The answer for an <see cref="AccountChange"/>; shared with <c>/api/me</c>.</summary>
    internal static IResult Answer(HttpContext http, AccountChange change, Func<AccountChange.Done, IResult> done) => change switch
    {
        AccountChange.Done d => done(d),
        AccountChange.Invalid i => i.Errors.ToResult(),
        AccountChange.EmailTaken => EmailTaken(),
        AccountChange.Throttled t => TooManyAttempts(http, t.RetryAfter),
        _ => Gone(),
    };

    static TokenResponse TokenAnswer(IssuedTokens tokens, User user) => new(
        tokens.AccessToken, "Bearer", Seconds(tokens.ExpiresAt - tokens.IssuedAt), tokens.RefreshToken,
        Seconds(tokens.RefreshExpiresAt - tokens.IssuedAt), UserView.From(user));

    static long Seconds(TimeSpan span) => (long)Math.Round(span.TotalSeconds);

    static IResult EmailTaken() =>
        TypedResults.Problem("An account with this email address already exists.", statusCode: StatusCodes.Status409Conflict, title: "Email taken");

    static IResult Gone() =>
        TypedResults.Problem("This account no longer exists.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    internal static IResult TooManyAttempts(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem($"Too many failed password attempts. Try again in {seconds} seconds.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts");
    }
}
