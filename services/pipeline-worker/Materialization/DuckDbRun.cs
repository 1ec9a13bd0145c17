using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// One run's DuckDB: in memory, with a memory limit and a spill directory of its own, UTC, and the
/// source as view <c>source</c>. Before the view's SQL runs, file access is locked to the run's
/// directory and the source file, so a transformation reads nothing else.
/// </summary>
public sealed class DuckDbRun : IDisposable
{
    private readonly DuckDBConnection _connection;

    public string Directory { get; }

    private DuckDbRun(string directory, DuckDBConnection connection)
    {
        Directory = directory;
        _connection = connection;
    }

    public static DuckDbRun Open(WorkerOptions options, string sourceFile)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(options.WorkDirectory, $"run-{Guid.NewGuid():N}")).FullName;
        var connection = new DuckDBConnection("DataSource=:memory:");
        var run = new DuckDbRun(directory, connection);
        try
        {
            connection.Open();
            run.Execute($"SET memory_limit = '{options.MemoryLimit}'");
            run.Execute(string.Create(CultureInfo.InvariantCulture, $"SET threads = {Math.Max(1, options.Threads)}"));
            run.Execute($"SET temp_directory = {Literal(Path.Combine(directory, "spill"))}");
            run.Execute("SET TimeZone = 'UTC'");
            run.Execute("SET preserve_insertion_order = false");
            run.Execute($"CREATE VIEW source AS SELECT * FROM read_parquet({Literal(sourceFile)}, file_row_number = true)");
            run.Execute($"SET allowed_directories = [{Literal(directory + Path.DirectorySeparatorChar)}]");
            run.Execute($"SET allowed_paths = [{Literal(sourceFile)}]");
            run.Execute("SET enable_external_access = false");
            run.Execute("SET autoinstall_known_extensions = false");
            run.Execute("SET autoload_known_extensions = false");
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public DuckDBCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public T Scalar<T>(string sql)
    {
        using var command = Command(sql);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The columns of a query or view: name and DuckDB type.</summary>
    public IReadOnlyList<(string Name, string Type)> Describe(string relation)
    {
        using var command = Command($"DESCRIBE {relation}");
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    public static string Literal(string text) => DuckDbTypes.Literal(text);

    public void Dispose()
    {
        _connection.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
