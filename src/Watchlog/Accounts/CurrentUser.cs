using System.Globalization;
using System.Security.Claims;

namespace Watchlog.Accounts;

/// <summary>
/// The signed-in user of a request, for any feature's handlers: add a <c>CurrentUser user</c> parameter to an endpoint
/// that requires authorization (minimal APIs bind it through <see cref="BindAsync"/>). Read fresh from the database
/// with the token on every request, so a change of email, zone or role shows at once.
/// </summary>
public sealed record CurrentUser(long Id, string Email, string TimeZone, string Region, bool IsAdmin, long? SessionId, string? SessionFamily, long? ApiKeyId)
{
    public const string AdminRole = "admin";
    const string TimeZoneClaim = "watchlog:time_zone";
    const string RegionClaim = "watchlog:region";
    const string SessionClaim = "watchlog:session";
    const string FamilyClaim = "watchlog:session_family";
    const string ApiKeyClaim = "watchlog:api_key";

    /// <summary>The user's zone, which decides what "today" and "this month" mean for them.</summary>
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public static ValueTask<CurrentUser?> BindAsync(HttpContext http) =>
        ValueTask.FromResult<CurrentUser?>(From(http.User)
            ?? throw new InvalidOperationException($"{http.GetEndpoint()?.DisplayName} takes a CurrentUser but does not RequireAuthorization()."));

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return null;
        return new CurrentUser(
            long.Parse(id, CultureInfo.InvariantCulture),
            principal.FindFirstValue(ClaimTypes.Email) ?? "",
            principal.FindFirstValue(TimeZoneClaim) ?? "UTC",
            principal.FindFirstValue(RegionClaim) ?? "US",
            principal.IsInRole(AdminRole),
            principal.FindFirstValue(SessionClaim) is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : null,
            principal.FindFirstValue(FamilyClaim),
            principal.FindFirstValue(ApiKeyClaim) is { } k ? long.Parse(k, CultureInfo.InvariantCulture) : null);
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Email, Email),
            new(TimeZoneClaim, TimeZone),
            new(RegionClaim, Region),
        };
        if (IsAdmin) claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        if (SessionId is { } session) claims.Add(new Claim(SessionClaim, session.ToString(CultureInfo.InvariantCulture)));
        if (SessionFamily is { } family) claims.Add(new Claim(FamilyClaim, family));
        if (ApiKeyId is { } key) claims.Add(new Claim(ApiKeyClaim, key.ToString(CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Email, ClaimTypes.Role));
    }
}
