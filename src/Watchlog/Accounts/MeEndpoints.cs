using System.Globalization;
using Dapper;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Accounts;

/// <summary><c>/api/me</c> (account deletion), <c>/api/me/keys</c> (personal API keys), <c>/api/admin/invitations</c>.</summary>
static class MeEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization().DisableAntiforgery().WithPrivateNoStore();
        me.MapDelete("", DeleteAccountAsync)
            .WithSummary("Delete the account and everything that belongs to it (needs the password)")
            .Accepts<DeleteAccountRequest>("application/json")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429);

        var keys = me.MapGroup("/keys");
        keys.MapPost("", CreateKeyAsync)
            .WithSummary("Create a personal API key; the key is shown in this answer only")
            .WithDescription("Send it as `X-Api-Key: <key>`, or as `?key=<key>` where a webhook sender can't set headers.")
            .Accepts<CreateApiKeyRequest>("application/json")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(401);
        keys.MapGet("", ListKeysAsync)
            .WithSummary("Your API keys, newest first (names and visible prefixes, never the keys)")
            .Produces<ApiKeyList>().ProducesValidationProblem().ProducesProblem(401);
        keys.MapDelete("/{id:long}", DeleteKeyAsync)
            .WithSummary("Delete an API key; it stops working at once")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(401).ProducesProblem(404);

        api.MapPost("/admin/invitations", CreateInvitationAsync).WithTags("Accounts")
            .RequireAuthorization(AccountsModule.AdminPolicy).DisableAntiforgery().WithPrivateNoStore()
            .WithSummary("Create a one-time invitation code, valid for 7 days (admins)")
            .WithDescription("With `email`, only that address can use the code. Needed to sign up when Watchlog:Registration is `invite`.")
            .Accepts<CreateInvitationRequest>("application/json")
            .Produces<CreatedInvitation>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403);
    }

    static async Task<IResult> DeleteAccountAsync(HttpContext http, CurrentUser me, ManageAccount manage, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, AccountsApiJsonContext.Default.DeleteAccountRequest, ct);
        if (error is not null) return error;
        return AuthEndpoints.Answer(http, await manage.DeleteAsync(me, body!, ClientInfo.From(http), ct), _ => TypedResults.NoContent());
    }

    static async Task<IResult> CreateKeyAsync(HttpRequest http, CurrentUser me, ApiKeyStore keys, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, AccountsApiJsonContext.Default.CreateApiKeyRequest, ct);
        if (error is not null) return error;
        var name = AccountRules.Label(body!.Name, ApiKeyStore.MaxNameLength, out var nameError);
        if (nameError is not null) return FieldErrors.One("name", nameError + " Name the key after what will use it, e.g. 'Plex webhook'.");
        return TypedResults.Created((string?)null, await keys.CreateAsync(me.Id, name!, ct));
    }

    static async Task<IResult> ListKeysAsync(CurrentUser me, ApiKeyStore keys, CancellationToken ct, string? cursor = null, string? limit = null)
    {
        var errors = new FieldErrors();
        long? before = null;
        if (cursor is { Length: > 0 })
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) before = id;
            else errors.Add("cursor", "Use the next_cursor of the previous page.");
        }
        var take = 50;
        if (limit is { Length: > 0 } && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 200))
            errors.Add("limit", "limit is a whole number from 1 to 200.");
        if (errors.Any) return errors.ToResult();
        return TypedResults.Ok(await keys.ListAsync(me.Id, before, take, ct));
    }

    static async Task<IResult> DeleteKeyAsync(long id, CurrentUser me, ApiKeyStore keys, CancellationToken ct) =>
        await keys.DeleteAsync(me.Id, id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"You have no API key with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    static async Task<IResult> CreateInvitationAsync(HttpRequest http, CurrentUser me, Db db, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync(http, AccountsApiJsonContext.Default.CreateInvitationRequest, ct);
        if (error is not null) return error;
        string? email = null;
        if (!string.IsNullOrWhiteSpace(body!.Email))
        {
            email = AccountRules.NormalizeEmail(body.Email, out var emailError);
            if (emailError is not null) return FieldErrors.One("email", emailError);
        }
        var code = Tokens.NewSecret();
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now + AccountsOptions.InvitationLifetime;
        var id = await db.WriteAsync((conn, tx) => conn.ExecuteScalarAsync<long>("""
            INSERT INTO invitations (code_hash, email, created_by, created_at, expires_at) VALUES (@hash, @email, @userId, @now, @expires)
            RETURNING id
            """, new { hash = Tokens.Hash(code), email, userId = me.Id, now, expires }, tx), ct);
        return TypedResults.Created((string?)null, new CreatedInvitation(id, code, email, expires));
    }
}
