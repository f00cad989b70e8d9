using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Accounts;

/// <summary>
/// Limits failed password checks per (email, client IP) pair, in the database so every node sees the same count:
/// after <see cref="AccountsOptions.LoginFailureLimit"/> failures inside the sliding window the pair waits until the
/// oldest failure leaves it. Keyed by the pair, so nobody can lock someone else out from another address.
/// </summary>
public sealed class LoginThrottle(Db db, AccountsOptions options, TimeProvider clock)
{
    sealed class WindowRow
    {
        public long Failures { get; init; }
        public DateTime? Oldest { get; init; }
    }

    /// <summary>How long the pair must wait, or null when it may try now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string emailKey, string ip, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleAsync<WindowRow>(new CommandDefinition("""
            SELECT count(*) AS failures, min(failed_at) AS oldest FROM login_failures
            WHERE email = @emailKey AND ip = @ip AND failed_at > @since
            """, new { emailKey, ip, since = now - options.LoginFailureWindow }, cancellationToken: ct));
        if (row.Failures < options.LoginFailureLimit || row.Oldest is null) return null;
        var wait = row.Oldest.Value + options.LoginFailureWindow - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    public Task RecordFailureAsync(string emailKey, string ip, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Failures older than the longest window we allow count for nothing; each new one sweeps them away.
        var cutoff = now - TimeSpan.FromDays(1);
        return db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("INSERT INTO login_failures (email, ip, failed_at) VALUES (@emailKey, @ip, @now)", new { emailKey, ip, now }, tx);
            await conn.ExecuteAsync("DELETE FROM login_failures WHERE failed_at < @cutoff", new { cutoff }, tx);
        }, ct);
    }

    internal static Task ClearAsync(DbConnection conn, DbTransaction tx, string emailKey, string ip) =>
        conn.ExecuteAsync("DELETE FROM login_failures WHERE email = @emailKey AND ip = @ip", new { emailKey, ip }, tx);
}
