using FeatureStore.Domain;
using FeatureStore.Registry.Definitions;

namespace FeatureStore.UnitTests.Registry;

public sealed class SqlCheckerTests
{
    private static readonly SourceField[] Source =
    [
        new("customer_id", FeatureValueType.Int64), new("event_timestamp", FeatureValueType.Timestamp),
        new("amount", FeatureValueType.Float64), new("kind", FeatureValueType.String), new("embedding", FeatureValueType.Float32Array),
    ];

    [Fact]
    public void A_query_is_described_with_feature_types()
    {
        using var checker = new SqlChecker();
        var (columns, error) = checker.Describe("source", Source,
            "SELECT customer_id, event_timestamp, amount * 2 AS doubled, kind = 'buy' AS is_buy, count(*) OVER () AS n, " +
            "embedding FROM source");
        Assert.Null(error);
        Assert.Equal([FeatureValueType.Int64, FeatureValueType.Timestamp, FeatureValueType.Float64, FeatureValueType.Bool,
            FeatureValueType.Int64, FeatureValueType.Float32Array],
            columns!.Select(c => c.Type!.Value));
    }

    [Theory]
    [InlineData("SELECT nope FROM source", "nope")]
    [InlineData("SELECT * FROM source; DROP TABLE source", "single SELECT")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "")]
    [InlineData("INSERT INTO source VALUES (1)", "")]
    [InlineData("SELECT *, current_setting('temp_directory') AS t FROM source", "function current_setting is not allowed")]
    [InlineData("SELECT * FROM source, duckdb_settings()", "table function duckdb_settings is not allowed")]
    public void Bad_or_dangerous_sql_is_refused(string sql, string mention)
    {
        using var checker = new SqlChecker();
        var (columns, error) = checker.Describe("source", Source, sql);
        Assert.Null(columns);
        Assert.Contains(mention, error);
    }

    [Fact]
    public void A_semicolon_inside_a_string_is_not_a_second_statement()
    {
        using var checker = new SqlChecker();
        Assert.Null(checker.Describe("source", Source, "SELECT customer_id, 'a;b' AS label FROM source;").Error);
    }

    [Fact]
    public void Expressions_get_their_type()
    {
        using var checker = new SqlChecker();
        var (column, error) = checker.DescribeExpression([new SourceField("purchases", FeatureValueType.Int64),
            new SourceField("days", FeatureValueType.Int32)],
            "purchases / nullif(days, 0)");
        Assert.Null(error);
        Assert.Equal(FeatureValueType.Float64, column!.Type);
        Assert.Contains("unknown_input", checker.DescribeExpression([], "unknown_input + 1").Error);
    }

    [Theory]
    [InlineData("BIGINT", FeatureValueType.Int64)]
    [InlineData("DECIMAL(18,3)", FeatureValueType.Float64)]
    [InlineData("TIMESTAMP WITH TIME ZONE", FeatureValueType.Timestamp)]
    [InlineData("DATE", FeatureValueType.Timestamp)]
    [InlineData("FLOAT[]", FeatureValueType.Float32Array)]
    [InlineData("VARCHAR", FeatureValueType.String)]
    public void DuckDb_types_map_to_feature_types(string sqlType, FeatureValueType type) =>
        Assert.Equal(type, DuckDbTypes.FromSql(sqlType));

    [Theory]
    [InlineData("STRUCT(a INTEGER)")]
    [InlineData("VARCHAR[]")]
    [InlineData("MAP(VARCHAR, INTEGER)")]
    public void Types_no_feature_holds_map_to_nothing(string sqlType) => Assert.Null(DuckDbTypes.FromSql(sqlType));
}
