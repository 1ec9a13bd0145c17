using System.Diagnostics;
using FeatureStore.DuckDb;

namespace FeatureStore.UnitTests.DuckDb;

/// <summary>
/// The allow-list user SQL is checked against (on DuckDB's own parse tree), one refused function at a time, the functions
/// views and expressions use that must keep working, and the time limit that stops what the check cannot see.
/// </summary>
public sealed class SqlFunctionPolicyTests
{
    private static string? View(string sql) => SqlFunctionPolicy.Check(sql, "source");

    [Theory]
    [InlineData("SELECT current_setting('temp_directory') AS x FROM source", "function current_setting")]
    [InlineData("SELECT * FROM duckdb_settings()", "table function duckdb_settings")]
    [InlineData("SELECT * FROM duckdb_functions()", "table function duckdb_functions")]
    [InlineData("SELECT * FROM duckdb_extensions()", "table function duckdb_extensions")]
    [InlineData("SELECT * FROM duckdb_secrets()", "table function duckdb_secrets")]
    [InlineData("SELECT * FROM pragma_version()", "table function pragma_version")]
    [InlineData("SELECT * FROM pragma_platform()", "table function pragma_platform")]
    [InlineData("SELECT * FROM pg_settings", "table pg_settings")]
    [InlineData("SELECT * FROM information_schema.tables", "table information_schema.tables")]
    [InlineData("SELECT * FROM 'data.csv'", "table data.csv")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "table function read_csv")]
    [InlineData("SELECT * FROM read_parquet('/data/other.parquet')", "table function read_parquet")]
    [InlineData("SELECT * FROM read_text('/etc/hostname')", "table function read_text")]
    [InlineData("SELECT * FROM glob('/*')", "table function glob")]
    [InlineData("SELECT * FROM query('SELECT 1')", "table function query")]
    [InlineData("SELECT version() AS v FROM source", "function version")]
    [InlineData("SELECT getvariable('x') AS v FROM source", "function getvariable")]
    [InlineData("SELECT current_database() AS v FROM source", "function current_database")]
    [InlineData("SELECT current_schema() AS v FROM source", "function current_schema")]
    [InlineData("SELECT json_serialize_sql('SELECT 1') AS v FROM source", "function json_serialize_sql")]
    [InlineData("SELECT sleep_ms(1000) AS v FROM source", "function sleep_ms")]
    [InlineData("SELECT nextval('s') AS v FROM source", "function nextval")]
    [InlineData("SELECT * FROM source, (SELECT current_setting('threads') AS t) s", "function current_setting")]
    [InlineData("WITH s AS (SELECT * FROM duckdb_settings()) SELECT * FROM source", "table function duckdb_settings")]
    [InlineData("SELECT (SELECT hash(sum(x)) FROM range(1000000000) t(x)) AS h FROM source", "range(...) would make 1,000,000,000")]
    [InlineData("SELECT count(*) AS n FROM range(10^9) t(x)", "range(...) would make 1,000,000,000")]
    [InlineData("SELECT count(*) AS n FROM range(0, 2000000000::BIGINT, 2) t(x)", "range(...) would make 1,000,000,000")]
    [InlineData("SELECT count(*) AS n FROM generate_series(1, 1e12) t(x)", "generate_series(...) would make")]
    [InlineData("SELECT unnest(range(100000000)) AS x FROM source", "range(...) would make 100,000,000")]
    [InlineData("SELECT repeat('x', 1000000000) AS x FROM source", "repeat(...) would make")]
    [InlineData("SELECT lpad('x', 2000000000, ' ') AS x FROM source", "lpad(...) would make")]
    [InlineData("SELECT list_resize([1], 1 << 40) AS x FROM source", "list_resize(...) would make")]
    [InlineData("PRAGMA version", "must be a single SELECT")]
    [InlineData("SELECT 'a\0b' AS x FROM source", "cannot be checked")]
    [InlineData("SELECT FROM WHERE", "syntax error")]
    [InlineData("SELECT 1 AS a FROM source; SELECT 2 AS a FROM source", "single SELECT")]
    public void Refuses_one_function_or_table_at_a_time_and_names_it(string sql, string named)
    {
        var refusal = View(sql);
        TestContext.Current.TestOutputHelper?.WriteLine($"{sql} -> {refusal}");
        Assert.NotNull(refusal);
        Assert.Contains(named, refusal);
    }

    [Theory]
    [InlineData("SELECT * FROM source WHERE clicks > 0")]
    [InlineData("SELECT lower(name) AS name, coalesce(amount, 0) AS amount, date_trunc('day', ts) AS day FROM source")]
    [InlineData("SELECT id, sum(amount) AS total, count(*) AS n, avg(amount) AS mean FROM source GROUP BY id")]
    [InlineData("SELECT id, row_number() OVER (PARTITION BY id ORDER BY ts) AS n, lag(amount) OVER (ORDER BY ts) AS p FROM source")]
    [InlineData("WITH recent AS (SELECT * FROM source WHERE ts > now() - INTERVAL 7 DAY) SELECT * FROM recent")]
    [InlineData("SELECT *, CASE WHEN amount > 10 THEN 'big' ELSE 'small' END AS size, amount::DOUBLE * 2 AS doubled FROM source")]
    [InlineData("SELECT *, list_transform([1, 2], x -> x + 1) AS l, {'a': 1} AS s, regexp_matches(name, '^a') AS m FROM source")]
    [InlineData("SELECT *, strftime(ts, '%Y') AS y, epoch_ms(ts) AS e, greatest(a, b) AS g, least(a, b) AS l FROM source")]
    [InlineData("SELECT *, if(a > 0, 1, 0) AS f, ifnull(a, 0) AS n, hash(name) AS h, md5(name) AS m FROM source")]
    [InlineData("SELECT s.*, x FROM source s, range(10) t(x)")]
    [InlineData("SELECT * FROM source WHERE id IN (SELECT unnest([1, 2, 3]))")]
    [InlineData("SELECT count(*) AS n FROM generate_series(1, 1000) t(x)")]
    [InlineData("SELECT * FROM (VALUES (1, 'a')) v(id, name)")]
    public void Allows_what_views_compute_with(string sql) => Assert.Null(View(sql));

    [Theory]
    [InlineData("total / nullif(days, 0)")]
    [InlineData("date_diff('second', last_activity_at, as_of) / 86400.0")]
    [InlineData("purchases_30d / nullif(least(30, date_diff('day', signed_up_at, as_of)), 0)")]
    [InlineData("upper(trim(name)) || '-' || CAST(amount AS VARCHAR)")]
    [InlineData("extract(year FROM as_of) - 2000")]
    public void Allows_on_demand_expressions(string expression) => Assert.Null(SqlFunctionPolicy.CheckExpression(expression, "inputs"));

    [Theory]
    [InlineData("current_setting('temp_directory')", "function current_setting")]
    [InlineData("(SELECT hash(sum(x)) FROM range(100000000) t(x))", "range(...) would make")]
    // Text that closes the wrapper and comments out the rest is still one query, checked whole.
    [InlineData("1) AS value FROM inputs, read_csv('/etc/passwd') t(a) --", "table function read_csv")]
    public void Refuses_on_demand_expressions(string expression, string named) =>
        Assert.Contains(named, SqlFunctionPolicy.CheckExpression(expression, "inputs"));

    [Fact]
    public void A_cte_name_is_readable_only_where_it_is_in_scope()
    {
        Assert.Null(View("WITH a AS (SELECT * FROM source) SELECT * FROM a"));
        // A CTE named like a catalog view inside a subquery does not make the real view readable outside it.
        Assert.Contains("table pg_settings",
            View("SELECT * FROM pg_settings, (WITH pg_settings AS (SELECT 1 AS x) SELECT * FROM pg_settings) s"));
    }

    [Fact]
    public void A_query_burning_cpu_is_stopped_at_its_time_limit_and_the_connection_stays_usable()
    {
        var limit = TimeSpan.FromMilliseconds(200);
        using var connection = DuckDbSandbox.OpenLocked(new DuckDbLimits(Threads: 1));
        using var command = connection.CreateCommand();
        // Non-constant bounds pass the check; only the time limit stops them.
        command.CommandText = "SELECT hash(sum(hash(x))) FROM (SELECT 10000000000 AS n) p, range(p.n) t(x)";
        var clock = Stopwatch.StartNew();
        var stopped = Assert.Throws<QueryTimeLimitException>(() =>
            DuckDbTimeLimit.Run(command, limit, c => c.ExecuteScalar(), TestContext.Current.CancellationToken));
        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"stopped after {clock.ElapsedMilliseconds} ms (limit {limit.TotalMilliseconds} ms)");
        Assert.Equal(limit, stopped.Limit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(2, Convert.ToInt32(connection.Scalar("SELECT 1 + 1")));
    }

    [Fact]
    public void A_query_whose_caller_gave_up_is_interrupted_as_cancelled_not_as_over_its_limit()
    {
        using var connection = DuckDbSandbox.OpenLocked(new DuckDbLimits(Threads: 1));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash(sum(hash(x))) FROM (SELECT 10000000000 AS n) p, range(p.n) t(x)";
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DuckDbTimeLimit.Run(command, TimeSpan.FromMinutes(10), c => c.ExecuteScalar(), caller.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(2, Convert.ToInt32(connection.Scalar("SELECT 1 + 1")));
    }

    [Fact]
    public void An_expression_past_the_memory_limit_is_refused_by_DuckDB()
    {
        using var connection = DuckDbSandbox.OpenLocked(new DuckDbLimits(MemoryLimit: "8MB", Threads: 1));
        // Sorting 2 million strings needs far more than 8 MB, and the sandbox gives DuckDB nowhere to spill.
        var refused = Assert.ThrowsAny<DuckDB.NET.Data.DuckDBException>(() =>
            connection.Scalar("SELECT count(DISTINCT s) FROM (SELECT repeat('x', 40) || x::VARCHAR AS s FROM range(2000000) t(x))"));
        Assert.Contains("Out of Memory", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_query_within_its_limit_answers()
    {
        using var connection = DuckDbSandbox.OpenLocked();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM range(1000) t(x)";
        Assert.Equal(1000L, Convert.ToInt64(DuckDbTimeLimit.Run(command, TimeSpan.FromSeconds(30), c => c.ExecuteScalar(),
            TestContext.Current.CancellationToken)));
    }
}
