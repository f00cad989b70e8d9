using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Watchlog.Data;

/// <summary>A column of a bulk statement with its PostgreSQL type (text, integer, bigint, double precision, date, timestamptz).</summary>
public readonly record struct Col(string Name, string PgType);

/// <summary>How an update treats a column's stored value.</summary>
public enum Fill
{
    /// <summary>The new value wins, but a missing (null) new value keeps what is stored.</summary>
    PreferNew,
    /// <summary>What is stored wins; the new value only fills a gap.</summary>
    KeepExisting,
}

/// <summary>
/// Many-row statements for imports, written once for both engines. SQLite runs in-process, so one prepared
/// single-row statement stepped per row through SQLitePCLRaw (parameters bound by position) is fastest:
/// Microsoft.Data.Sqlite costs ~10 µs a statement and binds parameters by name, which makes multi-row
/// VALUES lists quadratic. PostgreSQL is a network hop away, so each call sends the whole set as typed
/// arrays through <c>unnest</c> in one statement.
/// </summary>
public sealed class Bulk(DbConnection conn, DbTransaction tx, Dialect dialect)
{

    public Dialect Dialect => dialect;

    /// <summary>A list parameter for <see cref="InList"/>: JSON text on SQLite, an array on PostgreSQL.</summary>
    public object ListParam(IReadOnlyCollection<string> values) => dialect == Dialect.Sqlite ? JsonArray(values) : values.ToArray();
    public object ListParam(IReadOnlyCollection<long> values) => dialect == Dialect.Sqlite ? JsonArray(values) : values.ToArray();
    public object ListParam(IReadOnlyCollection<int> values) => dialect == Dialect.Sqlite ? JsonArray(values.Select(v => (long)v).ToList()) : values.ToArray();

    /// <summary><c>column IN (list)</c> for a parameter made by <see cref="ListParam(IReadOnlyCollection{string})"/>.</summary>
    public string InList(string column, string parameter) => dialect == Dialect.Sqlite
        ? $"{column} IN (SELECT value FROM json_each(@{parameter}))"
        : $"{column} = ANY(@{parameter})";

    public DbConnection Connection => conn;
    public DbTransaction Transaction => tx;

    public async Task InsertAsync(string table, Col[] cols, IReadOnlyList<object?[]> rows, string onConflict = "")
    {
        if (rows.Count == 0) return;
        var names = string.Join(", ", cols.Select(c => c.Name));
        if (dialect == Dialect.Postgres)
        {
            await using var cmd = PgArrays(cols, rows);
            cmd.CommandText = $"INSERT INTO {table} ({names}) SELECT * FROM unnest({PgArgs(cols)}) {onConflict}";
            await cmd.ExecuteNonQueryAsync();
            return;
        }
        SqliteEach($"INSERT INTO {table} ({names}) VALUES {SqliteTuples(1, cols.Length)} {onConflict}", rows);
    }

    /// <summary>
    /// A plain insert of many wide rows (no ON CONFLICT): on PostgreSQL through COPY in binary, which skips parsing and
    /// planning the arrays of <see cref="InsertAsync"/> (about half the time for a history import's 28-column rows);
    /// on SQLite the same as <see cref="InsertAsync"/>. Runs in the caller's transaction.
    /// </summary>
    public async Task CopyAsync(string table, Col[] cols, IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0) return;
        if (dialect != Dialect.Postgres) { await InsertAsync(table, cols, rows); return; }
        var types = cols.Select(c => c.PgType switch
        {
            "text" => NpgsqlTypes.NpgsqlDbType.Text,
            "integer" => NpgsqlTypes.NpgsqlDbType.Integer,
            "bigint" => NpgsqlTypes.NpgsqlDbType.Bigint,
            "double precision" => NpgsqlTypes.NpgsqlDbType.Double,
            "date" => NpgsqlTypes.NpgsqlDbType.Date,
            "timestamptz" => NpgsqlTypes.NpgsqlDbType.TimestampTz,
            var other => throw new ArgumentOutOfRangeException(nameof(cols), other, "no COPY mapping"),
        }).ToArray();
        await using var copy = await ((NpgsqlConnection)conn).BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", cols.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)");
        // Field by field without awaiting: the importer buffers and sends 8 kB at a time (an await per field cost more than the COPY saved).
        foreach (var row in rows)
        {
            copy.StartRow();
            for (var i = 0; i < cols.Length; i++)
            {
                switch (row[i])
                {
                    case null: copy.WriteNull(); break;
                    case DateTime t: copy.Write(DateTime.SpecifyKind(t, DateTimeKind.Utc), types[i]); break;
                    case var v when types[i] == NpgsqlTypes.NpgsqlDbType.Integer: copy.Write(Convert.ToInt32(v, CultureInfo.InvariantCulture), types[i]); break;
                    case var v when types[i] == NpgsqlTypes.NpgsqlDbType.Bigint: copy.Write(Convert.ToInt64(v, CultureInfo.InvariantCulture), types[i]); break;
                    case var v when types[i] == NpgsqlTypes.NpgsqlDbType.Double: copy.Write(Convert.ToDouble(v, CultureInfo.InvariantCulture), types[i]); break;
                    case string v: copy.Write(v, types[i]); break;
                    case var v: copy.Write(v, types[i]); break;
                }
            }
        }
        await copy.CompleteAsync();
    }

    /// <summary>INSERT … RETURNING: reads the rows the statement returns (e.g. ids of upserted rows).</summary>
    public async Task<List<T>> InsertReturningAsync<T>(string table, Col[] cols, IReadOnlyList<object?[]> rows, string onConflictAndReturning, Func<DbDataReader, T> read)
    {
        var result = new List<T>(rows.Count);
        if (rows.Count == 0) return result;
        var names = string.Join(", ", cols.Select(c => c.Name));
        if (dialect == Dialect.Postgres)
        {
            await using var cmd = PgArrays(cols, rows);
            cmd.CommandText = $"INSERT INTO {table} ({names}) SELECT * FROM unnest({PgArgs(cols)}) {onConflictAndReturning}";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) result.Add(read(reader));
            return result;
        }
        using var one = SqliteCommand(cols.Length, $"INSERT INTO {table} ({names}) VALUES {SqliteTuples(1, cols.Length)} {onConflictAndReturning}");
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++) one.Parameters[i].Value = SqliteValue(row[i]);
            using var reader = one.ExecuteReader();
            while (reader.Read()) result.Add(read(reader));
        }
        return result;
    }

    /// <summary>Updates rows by id; <paramref name="cols"/>[0] must be the id.</summary>
    public async Task UpdateByIdAsync(string table, Col[] cols, Fill[] fill, IReadOnlyList<object?[]> rows, string alwaysSet = "")
    {
        if (rows.Count == 0) return;
        if (dialect == Dialect.Postgres)
        {
            var sets = cols.Skip(1).Select((c, i) => $"{c.Name} = {Expr(fill[i], $"u.{c.Name}", $"t.{c.Name}")}");
            await using var cmd = PgArrays(cols, rows);
            cmd.CommandText = $"UPDATE {table} AS t SET {string.Join(", ", sets)}{alwaysSet} " +
                              $"FROM unnest({PgArgs(cols)}) AS u({string.Join(", ", cols.Select(c => c.Name))}) WHERE t.id = u.id";
            await cmd.ExecuteNonQueryAsync();
            return;
        }
        var sqliteSets = cols.Skip(1).Select((c, i) => $"{c.Name} = {Expr(fill[i], $"?{i + 2}", c.Name)}");
        SqliteEach($"UPDATE {table} SET {string.Join(", ", sqliteSets)}{alwaysSet} WHERE id = ?1", rows);
    }

    static string Expr(Fill fill, string incoming, string stored) =>
        fill == Fill.PreferNew ? $"COALESCE({incoming}, {stored})" : $"COALESCE({stored}, {incoming})";

    /// <summary>Fresh ids for rows about to be inserted with explicit ids (the caller is the only writer on SQLite).</summary>
    public async Task<long[]> NextIdsAsync(string table, int count)
    {
        var ids = new long[count];
        if (count == 0) return ids;
        if (dialect == Dialect.Postgres)
        {
            await using var cmd = (NpgsqlCommand)conn.CreateCommand();
            cmd.Transaction = (NpgsqlTransaction)tx;
            cmd.CommandText = $"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, @n)";
            cmd.Parameters.AddWithValue("n", count);
            await using var reader = await cmd.ExecuteReaderAsync();
            var i = 0;
            while (await reader.ReadAsync()) ids[i++] = reader.GetInt64(0);
            return ids;
        }
        using var max = (SqliteCommand)conn.CreateCommand();
        max.Transaction = (SqliteTransaction)tx;
        max.CommandText = $"SELECT coalesce(max(id), 0) FROM {table}";
        var start = (long)max.ExecuteScalar()!;
        for (var i = 0; i < count; i++) ids[i] = start + 1 + i;
        return ids;
    }

    void SqliteEach(string sql, IReadOnlyList<object?[]> rows)
    {
        var db = ((SqliteConnection)conn).Handle!;
        Check(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++) Check(Bind(stmt, i + 1, row[i]), db);
                var rc = raw.sqlite3_step(stmt);
                raw.sqlite3_reset(stmt);
                if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) Check(rc, db);
            }
        }
    }

    static int Bind(sqlite3_stmt stmt, int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(stmt, index),
        string v => raw.sqlite3_bind_text(stmt, index, v),
        long v => raw.sqlite3_bind_int64(stmt, index, v),
        int v => raw.sqlite3_bind_int64(stmt, index, v),
        double v => raw.sqlite3_bind_double(stmt, index, v),
        bool v => raw.sqlite3_bind_int64(stmt, index, v ? 1 : 0),
        DateOnly v => raw.sqlite3_bind_text(stmt, index, v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime v => raw.sqlite3_bind_text(stmt, index, TypeHandlers.ToSqliteText(v)),
        _ => raw.sqlite3_bind_text(stmt, index, Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }

    SqliteCommand SqliteCommand(int parameters, string sql)
    {
        var cmd = (SqliteCommand)conn.CreateCommand();
        cmd.Transaction = (SqliteTransaction)tx;
        cmd.CommandText = sql;
        for (var i = 0; i < parameters; i++) cmd.Parameters.Add(new SqliteParameter($"$p{i}", DBNull.Value));
        return cmd;
    }

    static string SqliteTuples(int rows, int width)
    {
        var sb = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            if (r > 0) sb.Append(", ");
            sb.Append('(');
            for (var i = 0; i < width; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append("$p").Append(r * width + i);
            }
            sb.Append(')');
        }
        return sb.ToString();
    }

    static object SqliteValue(object? v) => v switch
    {
        null => DBNull.Value,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => TypeHandlers.ToSqliteText(t),
        bool b => b ? 1 : 0,
        _ => v,
    };

    static string PgArgs(Col[] cols) => string.Join(", ", cols.Select((c, i) => $"@a{i}::{c.PgType}[]"));

    NpgsqlCommand PgArrays(Col[] cols, IReadOnlyList<object?[]> rows)
    {
        var cmd = (NpgsqlCommand)conn.CreateCommand();
        cmd.Transaction = (NpgsqlTransaction)tx;
        for (var i = 0; i < cols.Length; i++)
        {
            var p = new NpgsqlParameter($"a{i}", PgArray(cols[i].PgType, rows, i));
            // Npgsql infers a DateTime?[]'s type from its first element: a leading null made it 'timestamp' and the rest failed.
            if (cols[i].PgType == "timestamptz") p.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.TimestampTz;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    static object PgArray(string pgType, IReadOnlyList<object?[]> rows, int column)
    {
        T?[] Structs<T>() where T : struct
        {
            var a = new T?[rows.Count];
            for (var r = 0; r < rows.Count; r++) a[r] = rows[r][column] is { } v ? (T)Convert.ChangeType(v, typeof(T), CultureInfo.InvariantCulture) : null;
            return a;
        }
        switch (pgType)
        {
            case "text":
                var s = new string?[rows.Count];
                for (var r = 0; r < rows.Count; r++) s[r] = (string?)rows[r][column];
                return s;
            case "integer": return Structs<int>();
            case "bigint": return Structs<long>();
            case "double precision": return Structs<double>();
            case "date":
                var d = new DateOnly?[rows.Count];
                for (var r = 0; r < rows.Count; r++) d[r] = (DateOnly?)rows[r][column];
                return d;
            case "timestamptz":
                var t = new DateTime?[rows.Count];
                for (var r = 0; r < rows.Count; r++) t[r] = rows[r][column] is DateTime v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
                return t;
            default: throw new ArgumentOutOfRangeException(nameof(pgType), pgType, "no array mapping");
        }
    }

    static string JsonArray(IReadOnlyCollection<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static string JsonArray(IReadOnlyCollection<long> values) =>
        "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
