using Dapper;
using Watchlog.Data;

namespace Watchlog.Tests.Data;

public class TypeRoundTripTests
{
    sealed class Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public int? Year { get; init; }
        public double Popularity { get; init; }
        public DateOnly? FirstAirDate { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? LastSyncedAt { get; init; }
        public string? Raw { get; init; }
    }

    [EachDatabase]
    public async Task Every_column_type_reads_back_the_same_on_both_engines(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var created = new DateTime(2026, 3, 14, 10, 30, 15, 123, DateTimeKind.Utc);
        var local = new DateTime(2026, 3, 14, 12, 0, 0, DateTimeKind.Unspecified);
        var raw = """{"name":"Amélie","ids":[1,2]}""";

        var id = await test.Db.WriteAsync((conn, tx) => conn.ExecuteScalarAsync<long>(test.Db.Pick(
                sqlite: "INSERT INTO titles (kind, title, match_key, year, popularity, first_air_date, raw, created_at, updated_at, last_synced_at) VALUES ('series', @title, 'x', @year, @pop, @date, @raw, @created, @created, @synced) RETURNING id",
                postgres: "INSERT INTO titles (kind, title, match_key, year, popularity, first_air_date, raw, created_at, updated_at, last_synced_at) VALUES ('series', @title, 'x', @year, @pop, @date, @raw::jsonb, @created, @created, @synced) RETURNING id"),
            new { title = "Amélie 🎬 \"quoted\"", year = 2001, pop = 12.5, date = new DateOnly(2001, 4, 25), raw, created, synced = local }, tx), CancellationToken.None);

        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        var row = await conn.QuerySingleAsync<Row>("SELECT * FROM titles WHERE id = @id", new { id });
        Assert.Equal("Amélie 🎬 \"quoted\"", row.Title);
        Assert.Equal(2001, row.Year);
        Assert.Equal(12.5, row.Popularity);
        Assert.Equal(new DateOnly(2001, 4, 25), row.FirstAirDate);
        Assert.Equal(created, row.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, row.CreatedAt.Kind);
        Assert.Equal(DateTime.SpecifyKind(local, DateTimeKind.Utc), row.LastSyncedAt);
        Assert.Equal("Amélie", System.Text.Json.JsonDocument.Parse(row.Raw!).RootElement.GetProperty("name").GetString());
    }

    [EachDatabase]
    public async Task A_bulk_statement_takes_a_null_instant_before_the_others(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var at = new DateTime(2026, 3, 14, 10, 30, 15, DateTimeKind.Utc);
        await test.Db.WriteAsync((conn, tx) => new Bulk(conn, tx, test.Dialect).InsertAsync("titles",
            [new("kind", "text"), new("title", "text"), new("match_key", "text"), new("created_at", "timestamptz"), new("updated_at", "timestamptz"),
             new("last_synced_at", "timestamptz")],
            [["movie", "first", "x", at, at, null], ["movie", "second", "x", at, at, at]]), CancellationToken.None);
        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal([at], await conn.QueryAsync<DateTime>("SELECT last_synced_at FROM titles WHERE last_synced_at IS NOT NULL"));
    }

    [EachDatabase]
    public async Task Instants_written_by_parameters_and_by_bulk_statements_compare_equal(Engine engine)
    {
        await using var test = await TestDb.CreateAsync(engine);
        var at = TypeHandlers.ToMicroseconds(new DateTime(2026, 3, 14, 10, 30, 15, DateTimeKind.Utc).AddTicks(1234567));

        await test.Db.WriteAsync(async (conn, tx) =>
        {
            await conn.ExecuteAsync("INSERT INTO genres (slug, name) VALUES ('a', 'A')", transaction: tx);
            await conn.ExecuteAsync("INSERT INTO titles (kind, title, match_key, created_at, updated_at) VALUES ('movie', 'dapper', 'x', @at, @at)", new { at }, tx);
            await new Bulk(conn, tx, test.Dialect).InsertAsync("titles",
                [new("kind", "text"), new("title", "text"), new("match_key", "text"), new("created_at", "timestamptz"), new("updated_at", "timestamptz")],
                [["movie", "bulk", "x", at, at.AddSeconds(1)]]);
        }, CancellationToken.None);

        await using var conn = await test.Db.OpenAsync(CancellationToken.None);
        Assert.Equal(["bulk", "dapper"], await conn.QueryAsync<string>("SELECT title FROM titles WHERE created_at = @at ORDER BY title", new { at }));
        Assert.Equal(["dapper"], await conn.QueryAsync<string>("SELECT title FROM titles WHERE updated_at < @later", new { later = at.AddMilliseconds(500) }));
        Assert.All(await conn.QueryAsync<DateTime>("SELECT created_at FROM titles"), t => Assert.Equal(at, t));
    }
}
