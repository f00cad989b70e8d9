using System.Data;
using System.Globalization;
using Dapper;

namespace Watchlog.Data;

/// <summary>
/// Makes values read the same on both engines: instants come back as UTC <see cref="DateTime"/> (SQLite stores
/// ISO-8601 text, PostgreSQL <c>timestamptz</c>), dates as <see cref="DateOnly"/> ('YYYY-MM-DD' text vs <c>date</c>).
/// </summary>
public static class TypeHandlers
{
    static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    /// <summary>
    /// The one text form instants take on SQLite: Microsoft.Data.Sqlite's own ("2026-03-14 10:30:15.1234567", UTC,
    /// fraction trimmed), which it uses for every DateTime parameter (Dapper hands those to it without asking our
    /// handler) and which SQLite's date functions read. Bulk statements write the same, so stored instants compare
    /// correctly whichever path wrote them. PostgreSQL keeps microseconds, SQLite 100 ns: code that compares instants
    /// across engines truncates with <see cref="ToMicroseconds"/>.
    /// </summary>
    public static string ToSqliteText(DateTime utc) =>
        DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Utc)
            .ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>An instant as PostgreSQL stores it (whole microseconds).</summary>
    public static DateTime ToMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, t.Kind);

    sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            var utc = value.Kind switch
            {
                DateTimeKind.Local => value.ToUniversalTime(),
                _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            };
            if (parameter is Npgsql.NpgsqlParameter)
            {
                parameter.DbType = DbType.DateTime;
                parameter.Value = utc;
            }
            else
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToSqliteText(utc);
            }
        }

        public override DateTime Parse(object value) => value switch
        {
            DateTime d => d.Kind == DateTimeKind.Utc ? d : DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Utc),
            string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            DateTimeOffset o => o.UtcDateTime,
            _ => throw new DataException($"Cannot read {value.GetType().Name} as an instant."),
        };
    }

    sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is Npgsql.NpgsqlParameter np)
            {
                np.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date;
                np.Value = value;
            }
            else
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime d => DateOnly.FromDateTime(d),
            string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a date."),
        };
    }
}
