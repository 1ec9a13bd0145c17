using FeatureStore.DuckDb;

namespace FeatureStore.UnitTests.DuckDb;

/// <summary>Connections opened ahead of need: each is a database of its own, within the limits, used once.</summary>
public sealed class DuckDbSparesTests
{
    private static readonly string Spill = Path.Combine(Path.GetTempPath(), $"fs-spares-{Guid.NewGuid():N}");

    [Fact]
    public async Task Each_taken_connection_is_a_fresh_database_within_the_limits_and_spilling_where_asked()
    {
        using var spares = new DuckDbSpares(new DuckDbLimits("300MB", 1), count: 2);
        using (var first = spares.Take(Spill))
        {
            first.Execute("CREATE TABLE mine (x INTEGER)");
            first.Execute("SET enable_external_access = false"); // a lock on one must not reach the next
        }
        await Task.Delay(200, TestContext.Current.CancellationToken); // the spares are opened in the background
        for (var i = 0; i < 5; i++)
        {
            using var connection = spares.Take(Spill + i);
            Assert.Equal(0L, connection.Scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'mine'"));
            Assert.Equal("true", connection.Scalar("SELECT current_setting('enable_external_access')")!.ToString()!.ToLowerInvariant());
            Assert.Equal("1", connection.Scalar("SELECT current_setting('threads')")!.ToString());
            Assert.Equal(Spill + i, connection.Scalar("SELECT current_setting('temp_directory')"));
            Assert.Equal("UTC", connection.Scalar("SELECT current_setting('TimeZone')"));
        }
    }

    [Fact]
    public void Taking_after_disposal_still_answers_with_a_connection_opened_on_the_spot()
    {
        var spares = new DuckDbSpares(new DuckDbLimits(), count: 1);
        spares.Dispose();
        using var connection = spares.Take(Spill);
        Assert.Equal(1, connection.Scalar("SELECT 1"));
    }
}
