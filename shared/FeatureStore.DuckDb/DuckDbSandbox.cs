using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb;

/// <summary>
/// What one use of DuckDB may take: a memory limit (DuckDB's syntax, such as <c>2GB</c>), a number of threads and a
/// directory to spill to beyond the memory limit. Anything left null keeps DuckDB's default.
/// </summary>
public sealed record DuckDbLimits(string? MemoryLimit = null, int? Threads = null, string? SpillDirectory = null);

/// <summary>
/// The one DuckDB sandbox of the services, for every connection that runs SQL a user wrote (transformations,
/// on-demand expressions, uploaded files): in memory and UTC, within the caller's <see cref="DuckDbLimits"/>, and,
/// once <see cref="Lock"/> has run, able to read and write only the directory and files it was given, with no network
/// and no extension installed or loaded. A caller opens, prepares what it needs from outside the sandbox (tables,
/// views over its inputs), locks, and only then runs user SQL. Locking cannot be undone on that connection.
/// </summary>
public static class DuckDbSandbox
{
    public static DuckDBConnection Open(DuckDbLimits? limits = null)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            // Text without an offset is read as UTC, and TIMESTAMPTZ values print in UTC.
            connection.Execute("SET TimeZone = 'UTC'");
            if (limits?.MemoryLimit is { } memory) connection.Execute($"SET memory_limit = {DuckDbTypes.Literal(memory)}");
            if (limits?.Threads is { } threads)
                connection.Execute(string.Create(CultureInfo.InvariantCulture, $"SET threads = {Math.Max(1, threads)}"));
            if (limits?.SpillDirectory is { } spill) SpillTo(connection, spill);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Where the connection spills beyond its memory limit; before <see cref="Lock"/>, like every setting.</summary>
    public static void SpillTo(DuckDBConnection connection, string directory) =>
        connection.Execute($"SET temp_directory = {DuckDbTypes.Literal(directory)}");

    /// <summary>A connection opened and locked at once, for callers that need nothing from outside the sandbox first.</summary>
    public static DuckDBConnection OpenLocked(DuckDbLimits? limits = null, string? directory = null, IEnumerable<string>? files = null)
    {
        var connection = Open(limits);
        try
        {
            Lock(connection, directory, files);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// From here on the connection reads and writes only inside <paramref name="directory"/> and reads only
    /// <paramref name="files"/> (nothing at all when neither is given), and loads no extension. The allowed places are
    /// set before external access is switched off: DuckDB refuses to change them afterwards.
    /// </summary>
    public static void Lock(DuckDBConnection connection, string? directory = null, IEnumerable<string>? files = null)
    {
        var settings = new List<string>();
        if (directory is not null)
            settings.Add("SET allowed_directories = " +
                $"[{DuckDbTypes.Literal(directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar)}]");
        var paths = files?.Distinct().ToList() ?? [];
        if (paths.Count > 0) settings.Add($"SET allowed_paths = [{string.Join(", ", paths.Select(DuckDbTypes.Literal))}]");
        settings.AddRange(["SET enable_external_access = false", "SET autoinstall_known_extensions = false",
            "SET autoload_known_extensions = false"]);
        // One round trip: a few milliseconds of a small request.
        connection.Execute(string.Join(";\n", settings));
    }
}
