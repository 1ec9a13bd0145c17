using System.Globalization;
using DuckDB.NET.Data;

namespace FeatureStore.FeatureApi.Infrastructure;

/// <summary>
/// feature-api's DuckDB connections (on-demand evaluation, historical retrieval, pushed offline files): in
/// memory and UTC, the settings each use adds, and one lockdown before user SQL (on-demand expressions) runs.
/// </summary>
public static class DuckDb
{
    public static DuckDBConnection OpenInMemory(params string[] settings)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            connection.Execute("SET TimeZone = 'UTC'");
            foreach (var setting in settings) connection.Execute(setting);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string Threads(int threads) => string.Create(CultureInfo.InvariantCulture, $"SET threads = {Math.Max(1, threads)}");

    /// <summary>From here on the connection reads only the given directory and files (nothing when none are given), and loads no extension.</summary>
    public static void LockDown(this DuckDBConnection connection, string? directory = null, IEnumerable<string>? files = null)
    {
        if (directory is not null) connection.Execute($"SET allowed_directories = [{Literal(directory + Path.DirectorySeparatorChar)}]");
        var paths = files?.Distinct().ToList() ?? [];
        if (paths.Count > 0) connection.Execute($"SET allowed_paths = [{string.Join(", ", paths.Select(Literal))}]");
        connection.Execute("SET enable_external_access = false");
        connection.Execute("SET autoinstall_known_extensions = false");
        connection.Execute("SET autoload_known_extensions = false");
    }

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

    public static string Literal(string text) => Domain.DuckDbTypes.Literal(text);
}
