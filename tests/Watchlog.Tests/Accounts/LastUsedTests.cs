using Dapper;

namespace Watchlog.Tests.Accounts;

public class LastUsedTests
{
    static async Task<DateTime?> SessionLastUsedAsync(TestDb test, long userId)
    {
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        return await conn.QuerySingleAsync<DateTime?>("SELECT max(last_used_at) FROM sessions WHERE user_id = @userId", new { userId });
    }

    [EachDatabase]
    public async Task A_token_use_is_recorded_off_the_request_and_written_when_the_server_stops(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        long userId;
        await using (var app = new WatchlogApp(test))
        {
            var ann = await app.SignUpAsync();
            userId = ann.UserId;
            await test.Db.WriteAsync((conn, tx) => conn.ExecuteAsync("UPDATE sessions SET last_used_at = @old WHERE user_id = @userId", new { old, userId }, tx), CancellationToken.None);
            await WatchlogApp.ExpectAsync(await ann.Client.GetAsync("/auth/me"), System.Net.HttpStatusCode.OK);
        }   // stopping the host writes the pending note (the 5 s timer may have written it already)
        Assert.True(await SessionLastUsedAsync(test, userId) > old.AddYears(5));
    }

    [Theory]
    [InlineData("Host=db;Database=w", 200, "-c plan_cache_mode=force_custom_plan")]
    [InlineData("Host=db;Database=w;Max Auto Prepare=0;Options=", 0, null)]
    [InlineData("Host=db;Database=w;maxautoprepare=5;Options=-c work_mem=64MB", 5, "-c work_mem=64MB")]
    public void PostgreSQL_prepares_statements_unless_the_connection_string_says_otherwise(string given, int maxAutoPrepare, string? options)
    {
        var csb = new Npgsql.NpgsqlConnectionStringBuilder(Watchlog.Data.Db.WithPreparedStatements(given));
        Assert.Equal(maxAutoPrepare, csb.MaxAutoPrepare);
        Assert.Equal(options, string.IsNullOrEmpty(csb.Options) ? null : csb.Options);
    }
}
