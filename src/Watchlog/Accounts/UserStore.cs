using System.Data.Common;
using Dapper;
using Watchlog.Data;

namespace Watchlog.Accounts;

/// <summary>The <c>users</c> table.</summary>
public sealed class UserStore(Db db)
{
    internal const string Columns = "id, email, password_hash, first_name, last_name, time_zone, region, is_admin, created_at, updated_at";

    public async Task<User?> GetAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>By normalized email.</summary>
    public async Task<User?> FindByEmailAsync(string email, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE email = @email", new { email }, cancellationToken: ct));
    }

    internal static Task<User?> GetAsync(DbConnection conn, DbTransaction tx, long id) =>
        conn.QuerySingleOrDefaultAsync<User>($"SELECT {Columns} FROM users WHERE id = @id", new { id }, tx);

    internal static async Task<bool> EmailTakenAsync(DbConnection conn, DbTransaction tx, string email, long? exceptUserId = null) =>
        await conn.ExecuteScalarAsync<long?>("SELECT id FROM users WHERE email = @email AND id <> @except",
            new { email, except = exceptUserId ?? 0 }, tx) is not null;

    /// <summary>A unique-constraint failure: someone else took the email between the check and the write.</summary>
    internal static bool IsUniqueViolation(DbException e) => e switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
