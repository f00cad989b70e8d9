using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Accounts;

/// <summary>Where a request came from, kept with a session.</summary>
public sealed record ClientInfo(string Ip, string? UserAgent)
{
    public static ClientInfo From(HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ClientInfo(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            agent.Length == 0 ? null : agent.Length > 256 ? agent[..256] : agent);
    }

    public static ClientInfo Cli { get; } = new("cli", "watchlog cli");
}

/// <summary>A freshly issued token pair; the secrets exist only here and in the client's hands.</summary>
public sealed record IssuedTokens(string AccessToken, string RefreshToken, long SessionId, string FamilyId, DateTime IssuedAt, DateTime ExpiresAt, DateTime RefreshExpiresAt);

public abstract record RefreshOutcome
{
    public sealed record Refreshed(IssuedTokens Tokens, User User) : RefreshOutcome;
    /// <summary>Unknown, expired or revoked.</summary>
    public sealed record Invalid : RefreshOutcome;
    /// <summary>An already rotated refresh token came back: the whole session family has been revoked.</summary>
    public sealed record Reused : RefreshOutcome;
}

/// <summary>
/// Sign-in sessions. A session (a "family") starts at sign-in and lives on through refreshes: each refresh issues a new
/// pair in a new row and retires the old row. Tokens are checked against the table on every request, so revoking is
/// one UPDATE and takes effect at once, on every node.
/// </summary>
public sealed class SessionStore(Db db, AccountsOptions options, LastUsed lastUsed, TimeProvider clock)
{

    sealed class AuthRow : CredentialRow
    {
        public string? FamilyId { get; init; }
    }

    sealed class RefreshRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string FamilyId { get; init; } = "";
        public DateTime RefreshExpiresAt { get; init; }
        public DateTime? RotatedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
    }

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Starts a new session family for <paramref name="userId"/> inside the caller's write.</summary>
    internal Task<IssuedTokens> StartAsync(DbConnection conn, DbTransaction tx, long userId, ClientInfo client, DateTime now) =>
        InsertAsync(conn, tx, userId, Guid.NewGuid().ToString("N"), client, now);

    async Task<IssuedTokens> InsertAsync(DbConnection conn, DbTransaction tx, long userId, string familyId, ClientInfo client, DateTime now)
    {
        var access = Tokens.NewSecret();
        var refresh = Tokens.NewSecret();
        var expires = now + options.AccessTokenLifetime;
        var refreshExpires = now + options.RefreshTokenLifetime;
        var id = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO sessions (user_id, family_id, access_hash, refresh_hash, created_at, expires_at, refresh_expires_at, last_used_at, user_agent, ip)
            VALUES (@userId, @familyId, @accessHash, @refreshHash, @now, @expires, @refreshExpires, @now, @agent, @ip)
            RETURNING id
            """,
            new { userId, familyId, accessHash = Tokens.Hash(access), refreshHash = Tokens.Hash(refresh), now, expires, refreshExpires, agent = client.UserAgent, ip = client.Ip }, tx);
        // Rows that can no longer be used, neither as a token nor for reuse detection, go as the user signs in again.
        await conn.ExecuteAsync("DELETE FROM sessions WHERE user_id = @userId AND refresh_expires_at < @now", new { userId, now }, tx);
        return new IssuedTokens(access, refresh, id, familyId, now, expires, refreshExpires);
    }

    /// <summary>The user behind a valid, unexpired, unrevoked access token, or null.</summary>
    public async Task<CurrentUser?> AuthenticateAsync(string accessToken, CancellationToken ct)
    {
        if (accessToken.Length is 0 or > Tokens.MaxLength) return null;
        var now = Now;
        AuthRow? row;
        await using (var conn = await db.OpenAsync(ct))
        {
            row = await conn.QuerySingleOrDefaultAsync<AuthRow>(new CommandDefinition("""
                SELECT u.id AS user_id, u.email, u.time_zone, u.region, u.is_admin, s.id, s.family_id, s.last_used_at
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.access_hash = @hash AND s.revoked_at IS NULL AND s.expires_at > @now
                """, new { hash = Tokens.Hash(accessToken), now }, cancellationToken: ct));
        }
        if (row is null) return null;
        lastUsed.Session(row.Id, row.LastUsedAt, now);   // bookkeeping, written in the background: authentication stays a read
        return new CurrentUser(row.UserId, row.Email, row.TimeZone, row.Region, row.IsAdmin, row.Id, row.FamilyId, null);
    }

    /// <summary>Trades a refresh token for a new pair; the old pair stops working. A rotated token presented again revokes its family.</summary>
    public async Task<RefreshOutcome> RefreshAsync(string refreshToken, ClientInfo client, CancellationToken ct)
    {
        if (refreshToken.Length is 0 or > Tokens.MaxLength) return new RefreshOutcome.Invalid();
        var hash = Tokens.Hash(refreshToken);
        var now = Now;
        return await db.WriteAsync<RefreshOutcome>(async (conn, tx) =>
        {
            var row = await conn.QuerySingleOrDefaultAsync<RefreshRow>(
                "SELECT id, user_id, family_id, refresh_expires_at, rotated_at, revoked_at FROM sessions WHERE refresh_hash = @hash",
                new { hash }, tx);
            if (row is null) return new RefreshOutcome.Invalid();
            if (row.RotatedAt is not null)
            {
                await RevokeFamilyAsync(conn, tx, row.FamilyId, now);
                return new RefreshOutcome.Reused();
            }
            if (row.RevokedAt is not null || row.RefreshExpiresAt <= now) return new RefreshOutcome.Invalid();

            // The condition makes a concurrent refresh with the same token (PostgreSQL) lose here and count as reuse.
            var retired = await conn.ExecuteAsync(
                "UPDATE sessions SET rotated_at = @now, revoked_at = @now WHERE id = @id AND rotated_at IS NULL AND revoked_at IS NULL",
                new { now, id = row.Id }, tx);
            if (retired == 0)
            {
                await RevokeFamilyAsync(conn, tx, row.FamilyId, now);
                return new RefreshOutcome.Reused();
            }
            var user = await UserStore.GetAsync(conn, tx, row.UserId);
            if (user is null) return new RefreshOutcome.Invalid();
            var issued = await InsertAsync(conn, tx, row.UserId, row.FamilyId, client, now);
            return new RefreshOutcome.Refreshed(issued, user);
        }, ct);
    }

    /// <summary>Ends a session: every token of the family stops working at once.</summary>
    public Task RevokeFamilyAsync(string familyId, CancellationToken ct)
    {
        var now = Now;
        return db.WriteAsync((conn, tx) => RevokeFamilyAsync(conn, tx, familyId, now), ct);
    }

    static Task RevokeFamilyAsync(DbConnection conn, DbTransaction tx, string familyId, DateTime now) =>
        conn.ExecuteAsync("UPDATE sessions SET revoked_at = @now WHERE family_id = @familyId AND revoked_at IS NULL", new { familyId, now }, tx);

    /// <summary>Revokes every session of a user but <paramref name="keepFamily"/> (the caller's own, when there is one).</summary>
    internal static Task RevokeAllAsync(DbConnection conn, DbTransaction tx, long userId, string? keepFamily, DateTime now) =>
        conn.ExecuteAsync("UPDATE sessions SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL AND family_id <> @keep",
            new { userId, now, keep = keepFamily ?? "" }, tx);
}
