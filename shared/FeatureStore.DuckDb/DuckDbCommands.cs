using DuckDB.NET.Data;

namespace FeatureStore.DuckDb;

/// <summary>The statements every DuckDB caller runs: one without an answer, one with a single value.</summary>
public static class DuckDbCommands
{
    public static void Execute(this DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first value of the first row, null for SQL NULL.</summary>
    public static object? Scalar(this DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is var value and not DBNull ? value : null;
    }
}
