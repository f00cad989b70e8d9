using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Tracking;

/// <summary>A request's <c>Idempotency-Key</c> with a fingerprint of the request it came with.</summary>
public sealed record IdempotentRequest(string Key, string Hash);

/// <summary>The first answer given to an idempotency key.</summary>
public sealed record StoredAnswer
{
    public string RequestHash { get; init; } = "";
    public int Status { get; init; }
    public string Response { get; init; } = "";
}

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first answer is stored per user, in the same transaction as what the request
/// wrote, and a retry with the same key and body gets it again; the same key with another body is a 409.
/// Stored in the database, so retries after a restart or on another node are answered the same.
/// </summary>
public sealed class IdempotencyKeys(Db db)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <summary>The key and request fingerprint; null without the header. The body is buffered so it can still be read.</summary>
    public static async Task<(IdempotentRequest? Request, string? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.Headers.TryGetValue(Header, out var values)) return (null, null);
        var key = values.ToString().Trim();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength || !key.All(c => c is >= '!' and <= '~'))
            return (null, $"Send one key of 1 to {MaxKeyLength} visible ASCII characters, e.g. a UUID.");
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0) sha.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return (new IdempotentRequest(key, Convert.ToHexStringLower(sha.GetHashAndReset())), null);
    }

    public async Task<StoredAnswer?> FindAsync(long userId, string key, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await FindAsync(conn, null, userId, key);
    }

    static Task<StoredAnswer?> FindAsync(DbConnection conn, DbTransaction? tx, long userId, string key) =>
        conn.QuerySingleOrDefaultAsync<StoredAnswer>(
            "SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = @userId AND idem_key = @key",
            new { userId, key }, tx);

    /// <summary>
    /// Inside the request's write: takes the key, or returns the answer already stored for it. On PostgreSQL a
    /// concurrent request with the same key waits here until the first commits (or rolls back), then sees its answer.
    /// </summary>
    public static async Task<StoredAnswer?> ClaimAsync(DbConnection conn, DbTransaction tx, long userId, IdempotentRequest request, DateTime now)
    {
        var claimed = await conn.ExecuteAsync("""
            INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status, response, created_at)
            VALUES (@userId, @key, @hash, 0, '', @now)
            ON CONFLICT (user_id, idem_key) DO NOTHING
            """, new { userId, key = request.Key, hash = request.Hash, now }, tx);
        return claimed == 1 ? null : await FindAsync(conn, tx, userId, request.Key);
    }

    /// <summary>Records the answer to a claimed key, in the same transaction as the writes it describes.</summary>
    public static Task CompleteAsync(DbConnection conn, DbTransaction tx, long userId, IdempotentRequest request, int status, string response) =>
        conn.ExecuteAsync("UPDATE idempotency_keys SET status = @status, response = @response WHERE user_id = @userId AND idem_key = @key",
            new { status, response, userId, key = request.Key }, tx);
}
