using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Watchlog.Data;
using Watchlog.Web;

namespace Watchlog.Accounts;

public abstract record AccountChange
{
    public sealed record Done(User? User) : AccountChange;
    public sealed record Invalid(FieldErrors Errors) : AccountChange;
    public sealed record EmailTaken : AccountChange;
    public sealed record Throttled(TimeSpan RetryAfter) : AccountChange;
    public sealed record Gone : AccountChange;
}

/// <summary>
/// Changes a signed-in user makes to their own account: profile, email, password, deletion. Those that need the
/// current password count wrong answers in the same limiter as sign-in, so a stolen token can't be used to guess it.
/// </summary>
public sealed class ManageAccount(Db db, UserStore users, Passwords passwords, LoginThrottle throttle, TimeProvider clock)
{
    public async Task<AccountChange> UpdateProfileAsync(CurrentUser me, UpdateMeRequest request, ClientInfo client, CancellationToken ct)
    {
        var user = await users.GetAsync(me.Id, ct);
        if (user is null) return new AccountChange.Gone();

        var errors = new FieldErrors();
        var firstName = request.FirstName is null ? user.FirstName : AccountRules.Name(request.FirstName, required: true, out var e1) ?? Add(errors, "first_name", e1);
        var lastName = request.LastName is null ? user.LastName : AccountRules.Name(request.LastName, required: false, out var e2) ?? Add(errors, "last_name", e2);
        var timeZone = request.TimeZone is null ? user.TimeZone : AccountRules.TimeZone(request.TimeZone, out var e3) ?? Add(errors, "time_zone", e3);
        var region = request.Region is null ? user.Region : AccountRules.Region(request.Region, out var e4) ?? Add(errors, "region", e4);
        var email = request.Email is null ? user.Email : AccountRules.NormalizeEmail(request.Email, out var e5) ?? Add(errors, "email", e5);
        var emailChanges = email != user.Email && !errors.Has("email");
        if (emailChanges && string.IsNullOrEmpty(request.CurrentPassword))
            errors.Add("current_password", "Enter your current password to change your email address.");
        if (errors.Any) return new AccountChange.Invalid(errors);

        if (emailChanges && await ConfirmPasswordAsync(user, request.CurrentPassword!, client, ct) is { } refused) return refused;

        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            return await db.WriteAsync<AccountChange>(async (conn, tx) =>
            {
                if (emailChanges && await UserStore.EmailTakenAsync(conn, tx, email, user.Id)) return new AccountChange.EmailTaken();
                var updated = await conn.QuerySingleOrDefaultAsync<User>($"""
                    UPDATE users SET email = @email, first_name = @firstName, last_name = @lastName, time_zone = @timeZone,
                                     region = @region, updated_at = @now
                    WHERE id = @id
                    RETURNING {UserStore.Columns}
                    """, new { email, firstName, lastName, timeZone, region, now, id = user.Id }, tx);
                return updated is null ? new AccountChange.Gone() : new AccountChange.Done(updated);
            }, ct);
        }
        catch (DbException e) when (UserStore.IsUniqueViolation(e))
        {
            return new AccountChange.EmailTaken();
        }
    }

    /// <summary>Sets a new password and revokes every other session (the caller's own stays signed in).</summary>
    public async Task<AccountChange> ChangePasswordAsync(CurrentUser me, ChangePasswordRequest request, ClientInfo client, CancellationToken ct)
    {
        var user = await users.GetAsync(me.Id, ct);
        if (user is null) return new AccountChange.Gone();
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword)) errors.Add("current_password", "Enter your current password.");
        if (Passwords.Problem(request.NewPassword, user.Email) is { } problem) errors.Add("new_password", problem);
        else if (request.NewPassword == request.CurrentPassword) errors.Add("new_password", "The new password is the same as the current one.");
        if (errors.Any) return new AccountChange.Invalid(errors);
        if (await ConfirmPasswordAsync(user, request.CurrentPassword!, client, ct) is { } refused) return refused;

        var hash = passwords.Hash(request.NewPassword!);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync((conn, tx) => SetPasswordAsync(conn, tx, user.Id, hash, me.SessionFamily, now), ct);
        return new AccountChange.Done(null);
    }

    /// <summary>Deletes the account; the foreign keys cascade to every row that belongs to it.</summary>
    public async Task<AccountChange> DeleteAsync(CurrentUser me, DeleteAccountRequest request, ClientInfo client, CancellationToken ct)
    {
        var user = await users.GetAsync(me.Id, ct);
        if (user is null) return new AccountChange.Gone();
        if (string.IsNullOrEmpty(request.Password))
            return new AccountChange.Invalid(new FieldErrors().Add("password", "Enter your password to delete your account."));
        if (await ConfirmPasswordAsync(user, request.Password, client, ct, field: "password") is { } refused) return refused;

        await db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("DELETE FROM login_failures WHERE email = @email", new { email = user.Email }, tx);
            await conn.ExecuteAsync("DELETE FROM users WHERE id = @id", new { id = user.Id }, tx);
        }, ct);
        return new AccountChange.Done(null);
    }

    /// <summary>Sets a password hash and revokes the user's sessions but <paramref name="keepFamily"/>; also used by the CLI.</summary>
    internal static async Task SetPasswordAsync(DbConnection conn, DbTransaction tx, long userId, string hash, string? keepFamily, DateTime now)
    {
        await conn.ExecuteAsync("UPDATE users SET password_hash = @hash, updated_at = @now WHERE id = @userId", new { hash, now, userId }, tx);
        await SessionStore.RevokeAllAsync(conn, tx, userId, keepFamily, now);
    }

    async Task<AccountChange?> ConfirmPasswordAsync(User user, string password, ClientInfo client, CancellationToken ct, string field = "current_password")
    {
        if (await throttle.RetryAfterAsync(user.Email, client.Ip, ct) is { } wait) return new AccountChange.Throttled(wait);
        if (passwords.Verify(user.PasswordHash, password) != PasswordVerificationResult.Failed) return null;
        await throttle.RecordFailureAsync(user.Email, client.Ip, ct);
        return new AccountChange.Invalid(new FieldErrors().Add(field, "The password is not correct."));
    }

    static string Add(FieldErrors errors, string field, string? message)
    {
        errors.Add(field, message!);
        return "";
    }
}
