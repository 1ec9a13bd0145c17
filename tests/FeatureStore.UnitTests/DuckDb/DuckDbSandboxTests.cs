using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.UnitTests.DuckDb;

/// <summary>
/// The sandbox every service runs user SQL in: once locked, a connection reaches only the directory and files it was
/// given, and cannot be unlocked by the SQL it runs.
/// </summary>
public sealed class DuckDbSandboxTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fs-sandbox-{Guid.NewGuid():N}")).FullName;

    private string Allowed => Directory.CreateDirectory(Path.Combine(_root, "allowed")).FullName;

    /// <summary>A one-row CSV file at <paramref name="path"/>.</summary>
    private static string Csv(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "id\n42\n");
        return path;
    }

    private static object? Read(DuckDBConnection connection, string file) =>
        connection.Scalar($"SELECT id FROM read_csv({DuckDbTypes.Literal(file)})");

    [Fact]
    public void Unlocked_it_reads_any_file_which_is_why_user_sql_waits_for_the_lock()
    {
        using var connection = DuckDbSandbox.Open();
        Assert.Equal(42L, Read(connection, Csv(Path.Combine(_root, "outside.csv"))));
    }

    [Fact]
    public void Locked_without_places_it_reads_and_writes_no_file()
    {
        var file = Csv(Path.Combine(_root, "outside.csv"));
        using var connection = DuckDbSandbox.OpenLocked();
        Assert.Throws<DuckDBException>(() => Read(connection, file));
        Assert.Throws<DuckDBException>(
            () => connection.Execute($"COPY (SELECT 1 AS id) TO {DuckDbTypes.Literal(Path.Combine(_root, "out.csv"))}"));
        Assert.False(File.Exists(Path.Combine(_root, "out.csv")));
        // What needs no file still runs.
        Assert.Equal(2, Convert.ToInt32(connection.Scalar("SELECT 1 + 1")));
    }

    [Fact]
    public void Locked_to_a_directory_and_files_it_reaches_those_and_nothing_beside_them()
    {
        var inside = Csv(Path.Combine(Allowed, "inside.csv"));
        var given = Csv(Path.Combine(_root, "given", "source.csv"));
        var beside = Csv(Path.Combine(_root, "given", "beside.csv"));
        // A directory whose name only starts like the allowed one is not inside it.
        var lookalike = Csv(Path.Combine(_root, "allowed-not", "other.csv"));
        using var connection = DuckDbSandbox.OpenLocked(directory: Allowed, files: [given]);

        Assert.Equal(42L, Read(connection, inside));
        Assert.Equal(42L, Read(connection, given));
        connection.Execute($"COPY (SELECT 7 AS id) TO {DuckDbTypes.Literal(Path.Combine(Allowed, "written.csv"))}");
        Assert.Equal(7L, Read(connection, Path.Combine(Allowed, "written.csv")));

        Assert.Throws<DuckDBException>(() => Read(connection, beside));
        Assert.Throws<DuckDBException>(() => Read(connection, lookalike));
        Assert.Throws<DuckDBException>(
            () => connection.Execute($"COPY (SELECT 7 AS id) TO {DuckDbTypes.Literal(Path.Combine(_root, "given", "out.csv"))}"));
    }

    [Theory]
    [InlineData("SET enable_external_access = true")]
    [InlineData("SET allowed_directories = ['/']")]
    [InlineData("SET allowed_paths = ['/etc/passwd']")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    public void User_sql_cannot_undo_the_lock_nor_reach_out(string sql)
    {
        using var connection = DuckDbSandbox.OpenLocked(directory: Allowed);
        Assert.Throws<DuckDBException>(() => connection.Execute(sql));
    }

    [Fact]
    public void The_limits_each_caller_asks_for_are_set_and_time_is_utc()
    {
        var spill = Path.Combine(Allowed, "spill");
        using var connection = DuckDbSandbox.OpenLocked(new DuckDbLimits("256MB", 0, spill), Allowed);
        Assert.Equal("UTC", connection.Scalar("SELECT current_setting('TimeZone')"));
        Assert.Equal(1L, Convert.ToInt64(connection.Scalar("SELECT current_setting('threads')")));
        Assert.Equal(spill, connection.Scalar("SELECT current_setting('temp_directory')"));
        Assert.StartsWith("244", (string)connection.Scalar("SELECT current_setting('memory_limit')")!); // 256 MB, as DuckDB prints it
                                                                                                        // in MiB
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
