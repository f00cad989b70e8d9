using Watchlog.Web;

namespace Watchlog.Accounts;

/// <summary>
/// The web UI's account forms: sign in, sign up, sign out (pages in Accounts/Pages). They run the same
/// <see cref="SignIn"/> and <see cref="RegisterUser"/> as <c>/auth/*</c>; the session they start is an ordinary session
/// whose access token is kept in the <see cref="WebAuth.CookieName"/> cookie.
/// </summary>
public static class AccountPages
{
    public static void MapAccountPages(this IEndpointRouteBuilder app)
    {
        app.MapForm("/session", SignInAsync, anonymous: true);
        app.MapForm("/account", SignUpAsync, anonymous: true);
        app.MapForm("/signout", SignOutAsync);
    }

    static async Task<IResult> SignInAsync(HttpContext http, SignIn signIn, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var email = form.Field("email");
        var back = WebAuth.LocalPath(form.Optional("return"));
        var again = $"/signin?return={Uri.EscapeDataString(back)}&email={Uri.EscapeDataString(email)}";
        if (email.Length == 0 || form.Field("password").Length == 0)
        {
            WebAuth.Flash(http, "Enter your email address and your password.", error: true);
            return WebAuth.SeeOther(http, again);
        }
        switch (await signIn.RunAsync(email, form["password"].ToString(), ClientInfo.From(http), ct))
        {
            case SignInOutcome.SignedIn s:
                WebAuth.SignIn(http, s.Tokens);
                return WebAuth.SeeOther(http, back);
            case SignInOutcome.Throttled t:
                WebAuth.Flash(http, $"Too many failed attempts. Try again in {Math.Max(1, (int)Math.Ceiling(t.RetryAfter.TotalSeconds))} seconds.", error: true);
                return WebAuth.SeeOther(http, again);
            default:
                WebAuth.Flash(http, "The email address or the password is not correct.", error: true);
                return WebAuth.SeeOther(http, again);
        }
    }

    static async Task<IResult> SignUpAsync(HttpContext http, RegisterUser register, SignIn signIn, AccountsOptions options, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        if (options.Registration == RegistrationMode.Closed)
        {
            WebAuth.Flash(http, "Registration is closed on this server.", error: true);
            return WebAuth.SeeOther(http, "/signup");
        }
        var request = new RegisterRequest
        {
            Email = form.Field("email"), Password = form["password"].ToString(), FirstName = form.Field("first_name"),
            LastName = form.Field("last_name"), InviteCode = form.Optional("invite_code"),
        };
        var again = $"/signup?email={Uri.EscapeDataString(request.Email)}&first_name={Uri.EscapeDataString(request.FirstName)}&last_name={Uri.EscapeDataString(request.LastName)}";
        switch (await register.RunAsync(request, byOperator: false, admin: false, ct))
        {
            case RegisterOutcome.Created created:
                if (await signIn.RunAsync(created.User.Email, request.Password, ClientInfo.From(http), ct) is SignInOutcome.SignedIn s)
                {
                    WebAuth.SignIn(http, s.Tokens);
                    WebAuth.Flash(http, $"Welcome, {created.User.FirstName}! Search for something you watched to start your log.");
                    return WebAuth.SeeOther(http, "/");
                }
                return WebAuth.SeeOther(http, "/signin?email=" + Uri.EscapeDataString(created.User.Email));
            case RegisterOutcome.Invalid invalid:
                WebAuth.Flash(http, WebForms.Describe(invalid.Errors), error: true);
                return WebAuth.SeeOther(http, again);
            default:
                WebAuth.Flash(http, "An account with this email address already exists. Sign in instead?", error: true);
                return WebAuth.SeeOther(http, again);
        }
    }

    static async Task<IResult> SignOutAsync(HttpContext http, SessionStore sessions, CancellationToken ct)
    {
        if (CurrentUser.From(http.User)?.SessionFamily is { } family) await sessions.RevokeFamilyAsync(family, ct);
        WebAuth.SignOut(http);
        return WebAuth.SeeOther(http, "/signin");
    }
}
