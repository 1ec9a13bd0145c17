using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// One run's DuckDB: in memory, with a memory limit and a spill directory of its own, UTC, and the
/// source files as view <c>source</c> (columns matched by name; <c>file_row_number</c> orders rows across
/// files, later files after earlier ones). Before the view's SQL runs, file access is locked to the run's
/// directory and the source files, so a transformation reads nothing else.
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

    // Room for 2^40 rows per file in the combined row number.
    private const long RowsPerFile = 1L << 40;

    public static DuckDbRun Open(WorkerOptions options, IReadOnlyList<string> sourceFiles)
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
            run.Execute($"CREATE VIEW source AS {SourceRows(sourceFiles)}");
            run.Execute($"SET allowed_directories = [{Literal(directory + Path.DirectorySeparatorChar)}]");
            run.Execute($"SET allowed_paths = [{string.Join(", ", sourceFiles.Select(Literal))}]");
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

    private static string SourceRows(IReadOnlyList<string> files)
    {
        if (files.Count == 1) return $"SELECT * FROM read_parquet({Literal(files[0])}, file_row_number = true)";
        var index = string.Join(" ", files.Select((f, i) => string.Create(CultureInfo.InvariantCulture, $"WHEN {Literal(f)} THEN {i * RowsPerFile}")));
        return $"""
            SELECT * EXCLUDE (filename) FROM (
              SELECT * REPLACE ((CASE filename {index} END) + file_row_number AS file_row_number)
              FROM read_parquet([{string.Join(", ", files.Select(Literal))}], union_by_name = true, file_row_number = true, filename = true))
            """;
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
