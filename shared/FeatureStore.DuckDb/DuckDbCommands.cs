using DuckDB.NET.Data;

namespace FeatureStore.DuckDb;

/// <summary>The statements every DuckDB caller runs: one without an answer, one with a single value, a relation's columns.</summary>
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

    /// <summary>The columns of a table, view or parenthesised query: name and DuckDB type, in order.</summary>
    public static IReadOnlyList<(string Name, string Type)> Describe(this DuckDBConnection connection, string relation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE {relation}";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }
}
