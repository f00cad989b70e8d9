using System.Data.Common;

namespace Watchlog.Data;

public static class DbErrors
{
    /// <summary>
    /// A constraint or data error belongs to the row being written (skip it and go on); anything else (a missing
    /// table, a full disk, a lost connection) is the database's and must stop the work.
    /// </summary>
    public static bool IsRowProblem(DbException e) => e switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode is 19 /* CONSTRAINT */ or 20 /* MISMATCH */ or 18 /* TOOBIG */,
        Npgsql.PostgresException p => p.SqlState.StartsWith("23", StringComparison.Ordinal) || p.SqlState.StartsWith("22", StringComparison.Ordinal),
        _ => false,
    };
}
