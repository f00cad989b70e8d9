using Dapper;
using Watchlog.Data;

namespace Watchlog.Accounts;

/// <summary>Personal API keys: stored as SHA-256, listed by their visible prefix, always scoped to their owner in SQL.</summary>
public sealed class ApiKeyStore(Db db, LastUsed lastUsed, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<CreatedApiKey> CreateAsync(long userId, string name, CancellationToken ct)
    {
        var key = Tokens.NewApiKey();
        var prefix = Tokens.VisiblePart(key);
        var now = clock.GetUtcNow().UtcDateTime;
        var id = await db.WriteAsync((conn, tx) => conn.ExecuteScalarAsync<long>(
            "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) VALUES (@userId, @name, @prefix, @hash, @now) RETURNING id",
            new { userId, name, prefix, hash = Tokens.Hash(key), now }, tx), ct);
        return new CreatedApiKey(id, name, key, prefix, now);
    }

    /// <summary>Newest first; <paramref name="before"/> is the cursor (the last id of the previous page).</summary>
    public async Task<ApiKeyList> ListAsync(long userId, long? before, int limit, CancellationToken ct)
    {
        await lastUsed.FlushAsync(ct);
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<ApiKeyItem>(new CommandDefinition("""
            SELECT id, name, prefix, created_at, last_used_at FROM api_keys
            WHERE user_id = @userId AND id < @before
            ORDER BY id DESC LIMIT @take
            """, new { userId, before = before ?? long.MaxValue, take = limit + 1 }, cancellationToken: ct))).ToList();
        var next = rows.Count > limit ? rows[limit - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new ApiKeyList(rows.Take(limit).ToList(), next);
    }

    /// <summary>False when the key doesn't exist or belongs to someone else (the caller answers 404 either way).</summary>
    public async Task<bool> DeleteAsync(long userId, long id, CancellationToken ct) =>
        await db.WriteAsync((conn, tx) => conn.ExecuteAsync("DELETE FROM api_keys WHERE id = @id AND user_id = @userId", new { id, userId }, tx), ct) > 0;

    public async Task<CurrentUser?> AuthenticateAsync(string key, CancellationToken ct)
    {
        if (key.Length is 0 or > Tokens.MaxLength || !key.StartsWith(Tokens.ApiKeyPrefix, StringComparison.Ordinal)) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        CredentialRow? row;
        await using (var conn = await db.OpenAsync(ct))
        {
            row = await conn.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition("""
                SELECT u.id AS user_id, u.email, u.time_zone, u.region, u.is_admin, k.id, k.last_used_at
                FROM api_keys k JOIN users u ON u.id = k.user_id
                WHERE k.key_hash = @hash
                """, new { hash = Tokens.Hash(key) }, cancellationToken: ct));
        }
        if (row is null) return null;
        lastUsed.ApiKey(row.Id, row.LastUsedAt, now);
        return new CurrentUser(row.UserId, row.Email, row.TimeZone, row.Region, row.IsAdmin, null, null, row.Id);
    }
}
