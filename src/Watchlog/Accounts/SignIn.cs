using Dapper;
using Microsoft.AspNetCore.Identity;
using Watchlog.Data;

namespace Watchlog.Accounts;

public abstract record SignInOutcome
{
    public sealed record SignedIn(IssuedTokens Tokens, User User) : SignInOutcome;
    /// <summary>Wrong email or wrong password: deliberately the same.</summary>
    public sealed record Failed : SignInOutcome;
    public sealed record Throttled(TimeSpan RetryAfter) : SignInOutcome;
}

/// <summary>
/// Email and password for a new session. An unknown email costs the same password check (against a dummy hash) and
/// counts as a failure like a wrong password, so the two can't be told apart by answer or by time.
/// </summary>
public sealed class SignIn(Db db, UserStore users, Passwords passwords, LoginThrottle throttle, SessionStore sessions, TimeProvider clock)
{
    public async Task<SignInOutcome> RunAsync(string email, string password, ClientInfo client, CancellationToken ct)
    {
        var key = AccountRules.EmailKey(email);
        if (await throttle.RetryAfterAsync(key, client.Ip, ct) is { } wait) return new SignInOutcome.Throttled(wait);

        var user = await users.FindByEmailAsync(key, ct);
        var result = PasswordVerificationResult.Failed;
        if (user is null) passwords.VerifyDummy(password);
        else result = passwords.Verify(user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(key, client.Ip, ct);
            return new SignInOutcome.Failed();
        }

        // A hash made with older settings is upgraded while the password is at hand.
        var rehash = result == PasswordVerificationResult.SuccessRehashNeeded ? passwords.Hash(password) : null;
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            var tokens = await db.WriteAsync(async (conn, tx) =>
            {
                await LoginThrottle.ClearAsync(conn, tx, key, client.Ip);
                if (rehash is not null)
                    await conn.ExecuteAsync("UPDATE users SET password_hash = @rehash WHERE id = @id", new { rehash, id = user!.Id }, tx);
                return await sessions.StartAsync(conn, tx, user!.Id, client, now);
            }, ct);
            return new SignInOutcome.SignedIn(tokens, user!);
        }
        catch (System.Data.Common.DbException e) when (DbErrors.IsRowProblem(e))
        {
            return new SignInOutcome.Failed(); // the account was deleted a moment ago
        }
    }
}
