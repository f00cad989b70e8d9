using System.Data.Common;
using Dapper;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Accounts;

public abstract record RegisterOutcome
{
    public sealed record Created(User User) : RegisterOutcome;
    public sealed record Invalid(FieldErrors Errors) : RegisterOutcome;
    public sealed record EmailTaken : RegisterOutcome;
}

/// <summary>
/// Creates an account: validates and normalizes, hashes the password (before the write: PBKDF2 takes tens of
/// milliseconds), then in one transaction checks the email, redeems the invitation and inserts the user. The first
/// user becomes admin in the INSERT itself, so two simultaneous first sign-ups can't both be admin.
/// </summary>
public sealed class RegisterUser(Db db, Passwords passwords, AccountsOptions options, TimeProvider clock)
{
    /// <summary>
    /// <paramref name="byOperator"/>: the CLI, which needs no invitation in invite mode and may make an admin.
    /// </summary>
    public async Task<RegisterOutcome> RunAsync(RegisterRequest request, bool byOperator, bool admin, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var email = AccountRules.NormalizeEmail(request.Email, out var emailError);
        if (emailError is not null) errors.Add("email", emailError);
        if (Passwords.Problem(request.Password, email) is { } passwordError) errors.Add("password", passwordError);
        var firstName = AccountRules.Name(request.FirstName, required: true, out var firstError);
        if (firstError is not null) errors.Add("first_name", firstError);
        var lastName = AccountRules.Name(request.LastName, required: false, out var lastError);
        if (lastError is not null) errors.Add("last_name", lastError);
        var needsInvite = !byOperator && options.Registration == RegistrationMode.Invite;
        var invite = request.InviteCode?.Trim() ?? "";
        if (needsInvite && invite.Length == 0) errors.Add("invite_code", "Registration needs an invitation code on this server.");
        if (errors.Any) return new RegisterOutcome.Invalid(errors);

        var hash = passwords.Hash(request.Password!);
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            return await db.WriteAsync<RegisterOutcome>(async (conn, tx) =>
            {
                // PostgreSQL runs sign-ups concurrently: without this, two first sign-ups could both see an empty table
                // and both become admin. The lock conflicts with itself, so inserts into users queue here for the
                // length of one short transaction; on SQLite the single writer already serializes them.
                if (db.Dialect == Dialect.Postgres)
                    await conn.ExecuteAsync("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE", transaction: tx);

                // Every refusal happens before the first write, so returning (which commits) leaves nothing behind.
                if (await UserStore.EmailTakenAsync(conn, tx, email!)) return new RegisterOutcome.EmailTaken();
                long? invitationId = null;
                if (needsInvite)
                {
                    invitationId = await RedeemInvitationAsync(conn, tx, invite, email!, now);
                    if (invitationId is null)
                        return new RegisterOutcome.Invalid(new FieldErrors().Add("invite_code", "This invitation code is not valid, has expired or was already used."));
                }

                var user = await conn.QuerySingleAsync<User>($"""
                    INSERT INTO users (email, password_hash, first_name, last_name, time_zone, region, is_admin, created_at, updated_at)
                    VALUES (@email, @hash, @firstName, @lastName, 'UTC', 'US', (@admin OR NOT EXISTS (SELECT 1 FROM users)), @now, @now)
                    RETURNING {UserStore.Columns}
                    """, new { email, hash, firstName, lastName, admin, now }, tx);
                if (invitationId is { } id)
                    await conn.ExecuteAsync("UPDATE invitations SET used_by = @userId WHERE id = @id", new { userId = user.Id, id }, tx);
                return new RegisterOutcome.Created(user);
            }, ct);
        }
        catch (DbException e) when (UserStore.IsUniqueViolation(e))
        {
            return new RegisterOutcome.EmailTaken(); // another process took the address between our check and insert
        }
    }

    // Marks the invitation used; the row lock makes a concurrent redemption of the same code wait and then find it used.
    static Task<long?> RedeemInvitationAsync(DbConnection conn, DbTransaction tx, string code, string email, DateTime now) =>
        conn.ExecuteScalarAsync<long?>("""
            UPDATE invitations SET used_at = @now
            WHERE code_hash = @hash AND used_at IS NULL AND expires_at > @now AND (email IS NULL OR email = @email)
            RETURNING id
            """, new { hash = Tokens.Hash(code), now, email }, tx);
}
