using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// One run's DuckDB (<see cref="DuckDbSandbox"/>): in memory, with a memory limit and a spill directory of its own, UTC,
/// and the source files as view <c>source</c> (columns matched by name; <c>file_row_number</c> orders rows across
/// files, later files after earlier ones). Before the view's SQL runs, the sandbox is locked to the run's directory
/// and the source files, so a transformation reads nothing else; the materializer runs a transformation only once
/// <see cref="SqlFunctionPolicy"/> allows it, and its slices within <see cref="WorkerOptions.QueryTimeLimit"/>.
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
        DuckDbRun? run = null;
        try
        {
            run = new DuckDbRun(directory,
                DuckDbSandbox.Open(new DuckDbLimits(options.MemoryLimit, options.Threads, Path.Combine(directory, "spill"))));
            run.Execute("SET preserve_insertion_order = false");
            run.Execute($"CREATE VIEW source AS {SourceRows(sourceFiles)}");
            // The run writes its slices and offline files into its own directory, so that one is writable too.
            DuckDbSandbox.Lock(run._connection, directory, sourceFiles);
            return run;
        }
        catch
        {
            if (run is null) DeleteDirectory(directory);
            else run.Dispose();
            throw;
        }
    }

    private static string SourceRows(IReadOnlyList<string> files)
    {
        if (files.Count == 1) return $"SELECT * FROM read_parquet({Literal(files[0])}, file_row_number = true)";
        var index = string.Join(" ",
            files.Select((f, i) => string.Create(CultureInfo.InvariantCulture, $"WHEN {Literal(f)} THEN {i * RowsPerFile}")));
        return $"""
            SELECT * EXCLUDE (filename) FROM (
              SELECT * REPLACE ((CASE filename {index} END) + file_row_number AS file_row_number)
              FROM read_parquet([{string.Join(", ", files.Select(Literal))}], union_by_name = true,
                  file_row_number = true, filename = true))
            """;
    }

    public void Execute(string sql) => _connection.Execute(sql);

    /// <summary>A statement that runs user SQL, interrupted past <paramref name="limit"/>
    /// (<see cref="QueryTimeLimitException"/>).</summary>
    public void Execute(string sql, TimeSpan limit) => DuckDbTimeLimit.Execute(_connection, sql, limit);

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
    public IReadOnlyList<(string Name, string Type)> Describe(string relation) => _connection.Describe(relation);

    public static string Literal(string text) => DuckDbTypes.Literal(text);

    public void Dispose()
    {
        _connection.Dispose();
        DeleteDirectory(Directory);
    }

    private static void DeleteDirectory(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
    }
}
