using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Watchlog.Data;

/// <summary>
/// Statements prepared once per pooled SQLite connection and reused. Microsoft.Data.Sqlite 6 prepares every command
/// again each time it runs (its statements die with the command, and a pooled connection hands out a new command each
/// time); for the hot read paths (search) the parse and plan cost about as much as the lookup itself. The cache is keyed
/// by the native connection, which the pool keeps between uses, so a statement serves every request that borrows that
/// connection; a connection is used by one request at a time. Parameters are bound by name; a statement is reset and
/// its bindings cleared after each use.
/// </summary>
public static class SqliteStatements
{
    /// <summary>Shapes kept per connection; more than this many distinct statements and the cache starts over.</summary>
    const int MaxPerConnection = 64;

    static readonly ConditionalWeakTable<sqlite3, Dictionary<string, sqlite3_stmt>> Cache = new();

    /// <summary>Runs <paramref name="sql"/> with <paramref name="args"/> (name → string, long, int, double or null) and
    /// maps each row with <paramref name="read"/>.</summary>
    public static List<T> Query<T>(SqliteConnection conn, string sql, IReadOnlyList<(string Name, object? Value)> args, Func<sqlite3_stmt, T> read)
    {
        var rows = new List<T>();
        Each(conn, sql, args, stmt => { rows.Add(read(stmt)); return true; });
        return rows;
    }

    /// <summary>Steps <paramref name="sql"/> row by row while <paramref name="row"/> returns true: a statement that reads
    /// an index in order (FTS5 by rowid) does no more work than the rows taken.</summary>
    public static void Each(SqliteConnection conn, string sql, IReadOnlyList<(string Name, object? Value)> args, Func<sqlite3_stmt, bool> row)
    {
        var stmt = Prepared(conn, sql);
        try
        {
            foreach (var (name, value) in args) Bind(conn.Handle!, stmt, name, value);
            while (true)
            {
                var rc = Step(stmt);
                if (rc == raw.SQLITE_DONE) break;
                if (rc != raw.SQLITE_ROW) throw Error(conn.Handle!, rc);
                if (!row(stmt)) break;
            }
        }
        finally
        {
            raw.sqlite3_reset(stmt);
            raw.sqlite3_clear_bindings(stmt);
        }
    }

    /// <summary>A JSON array of the values, for a list parameter read with <c>IN (SELECT value FROM json_each(@list))</c>
    /// (one statement shape whatever the list's length).</summary>
    public static string JsonArray<T>(IEnumerable<T> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var v in values)
            {
                switch (v)
                {
                    case string s: json.WriteStringValue(s); break;
                    case long l: json.WriteNumberValue(l); break;
                    case int i: json.WriteNumberValue(i); break;
                    default: throw new ArgumentException($"Unsupported list element {typeof(T).Name}.", nameof(values));
                }
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Text(sqlite3_stmt stmt, int column) => raw.sqlite3_column_text(stmt, column).utf8_to_string() ?? "";

    public static string? TextOrNull(sqlite3_stmt stmt, int column) =>
        raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(stmt, column).utf8_to_string();

    public static int? IntOrNull(sqlite3_stmt stmt, int column) =>
        raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int(stmt, column);

    static sqlite3_stmt Prepared(SqliteConnection conn, string sql)
    {
        var handle = conn.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var statements = Cache.GetValue(handle, _ => new Dictionary<string, sqlite3_stmt>(StringComparer.Ordinal));
        if (statements.TryGetValue(sql, out var stmt)) return stmt;
        if (statements.Count >= MaxPerConnection)
        {
            foreach (var old in statements.Values) old.Dispose();
            statements.Clear();
        }
        var rc = raw.sqlite3_prepare_v3(handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out stmt, out _);
        if (rc != raw.SQLITE_OK) throw Error(handle, rc);
        statements[sql] = stmt;
        return stmt;
    }

    static void Bind(sqlite3 db, sqlite3_stmt stmt, string name, object? value)
    {
        var index = raw.sqlite3_bind_parameter_index(stmt, name);
        if (index == 0) return; // this shape of the statement does not use it
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(stmt, index),
            string s => raw.sqlite3_bind_text(stmt, index, s),
            long l => raw.sqlite3_bind_int64(stmt, index, l),
            int i => raw.sqlite3_bind_int64(stmt, index, i),
            double d => raw.sqlite3_bind_double(stmt, index, d),
            _ => throw new ArgumentException($"Unsupported parameter type {value.GetType().Name} for {name}.", nameof(value)),
        };
        if (rc != raw.SQLITE_OK) throw Error(db, rc);
    }

    /// <summary>A read in WAL mode is rarely busy (only while a crashed writer's WAL is recovered): retried for up to 30 s.</summary>
    static int Step(sqlite3_stmt stmt)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            var rc = raw.sqlite3_step(stmt);
            if (rc is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED) || Environment.TickCount64 > deadline) return rc;
            raw.sqlite3_reset(stmt);
            Thread.Sleep(1);
        }
    }

    static SqliteException Error(sqlite3 db, int rc) =>
        new(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
}
