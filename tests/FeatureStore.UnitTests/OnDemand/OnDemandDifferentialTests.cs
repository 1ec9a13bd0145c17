using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.DuckDb.OnDemand;
using FeatureStore.FeatureApi.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FeatureStore.UnitTests.OnDemand;

/// <summary>
/// The in-process evaluator against DuckDB on the same inputs: for every supported construct and every expression of the
/// sample, a thousand seeded random rows (nulls, zeros, extremes, NaN and infinities, negative numbers, halves, instants before
/// 1970 and on leap days, at microseconds) evaluated by both; each row must give the same value, or an error in both.
/// </summary>
public sealed class OnDemandDifferentialTests : IDisposable
{
    private const int Rows = 1000;
    private static readonly OnDemandInput[] Inputs =
    [
        new("v", "a", FeatureValueType.Int64), new("v", "b", FeatureValueType.Int64), new("v", "i", FeatureValueType.Int32),
        new("v", "j", FeatureValueType.Int32), new("v", "x", FeatureValueType.Float64), new("v", "y", FeatureValueType.Float64),
        new("v", "f", FeatureValueType.Float32), new("v", "t1", FeatureValueType.Timestamp), new("v", "flag", FeatureValueType.Bool),
    ];

    // No time limit worth the name: a busy machine must not turn DuckDB's answer into an interruption (an "error" row).
    private readonly OnDemandEvaluator _duckDb = new(Options.Create(new LimitOptions { OnDemandQueryMilliseconds = 600_000 }),
                Options.Create(new OnDemandOptions()), NullLogger<OnDemandEvaluator>.Instance);
    private readonly DuckDB.NET.Data.DuckDBConnection _planner = DuckDbSandbox.OpenLocked(new DuckDbLimits(Threads: 1));

    public static TheoryData<string, string> Expressions() => new()
    {
        // arithmetic, integer and floating
        { "a + b", "int64" }, { "a - b", "int64" }, { "a * b", "int64" }, { "a // b", "int64" }, { "a % b", "int64" },
        { "a / b", "float64" }, { "-a", "int64" }, { "abs(a)", "int64" }, { "i + j", "int32" }, { "i * j", "int32" },
        { "i - j", "int32" }, { "i // j", "int32" }, { "i % j", "int32" }, { "a + i", "int64" },
        { "x + y", "float64" }, { "x - y", "float64" }, { "x * y", "float64" }, { "x / y", "float64" }, { "x % y", "float64" },
        { "-x", "float64" }, { "f * 2", "float32" }, { "f + x", "float64" }, { "a * x", "float64" }, { "x / 3.5", "float64" },
        // functions
        { "round(x)", "float64" }, { "floor(x)", "float64" }, { "ceil(x)", "float64" }, { "abs(x)", "float64" },
        { "sqrt(x)", "float64" }, { "ln(x)", "float64" }, { "log10(x)", "float64" }, { "exp(x)", "float64" },
        { "pow(x, 2)", "float64" }, { "least(a, b, 3)", "int64" }, { "greatest(x, y)", "float64" }, { "least(x, y, 0.5)", "float64" },
        // nulls and conditions
        { "coalesce(a, b, 0)", "int64" }, { "coalesce(x, y)", "float64" }, { "nullif(a, 0)", "int64" }, { "nullif(x, y)", "float64" },
        { "CASE WHEN x > y THEN a ELSE b END", "int64" }, { "CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' END", "string" },
        { "x BETWEEN -1 AND 1", "bool" }, { "a > b AND x < y", "bool" }, { "a > b OR x IS NULL", "bool" }, { "NOT flag", "bool" },
        { "flag AND a > 0", "bool" }, { "flag OR a IS NOT NULL", "bool" }, { "x = y", "bool" }, { "x <> y", "bool" },
        { "a >= i", "bool" }, { "x > 0 AND CAST(x AS INTEGER) > 1", "bool" }, { "x < 0 OR CAST(x AS INTEGER) > 1", "bool" },
        { "a > 0 AND a * b > 0", "bool" }, { "x IS DISTINCT FROM y", "bool" }, { "if(flag, x, y)", "float64" },
        // casts
        { "CAST(x AS BIGINT)", "int64" }, { "CAST(a AS INTEGER)", "int32" }, { "CAST(x AS FLOAT)", "float32" },
        { "CAST(flag AS INTEGER)", "int32" }, { "CAST(a AS DOUBLE)", "float64" }, { "TRY_CAST(x AS INTEGER)", "int32" },
        { "CAST(i AS BOOLEAN)", "bool" }, { "CAST(2.5 AS INTEGER) + i", "int32" }, { "CAST(-2.5 AS BIGINT) + a", "int64" },
        { "x", "int64" }, { "a", "float32" }, { "i", "int64" },
        // time
        { "date_diff('day', t1, as_of)", "int64" }, { "date_diff('second', t1, as_of)", "int64" },
        { "date_diff('hour', t1, as_of)", "int64" }, { "date_diff('minute', t1, as_of)", "int64" },
        { "date_diff('month', t1, as_of)", "int64" }, { "date_diff('year', t1, as_of)", "int64" },
        { "date_diff('quarter', t1, as_of)", "int64" }, { "date_diff('millisecond', t1, as_of)", "int64" },
        { "epoch(t1)", "float64" }, { "t1 < as_of", "bool" }, { "greatest(t1, as_of)", "timestamp" },
        // the sample's on-demand features (its names: purchases_30d is a, last_activity_at and signed_up_at are t1)
        { "date_diff('second', t1, as_of) / 86400.0", "float64" },
        { "a / nullif(least(30, date_diff('day', t1, as_of)), 0)", "float64" },
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Both_evaluators_give_the_same_answer_for_every_row(string expression, string type)
    {
        Assert.True(FeatureValueTypes.TryParse(type, out var declared), type);
        var view = View(expression, declared);
        var compiled = CompiledOnDemandView.TryCompile(view, _planner, out var reason);
        Assert.True(compiled is not null, reason);
        var rows = RandomRows(new Random(Seed(expression)));

        var expected = DuckDbAnswers(view, rows);
        for (var r = 0; r < rows.Count; r++)
        {
            string actual;
            try { actual = Text(compiled!.Evaluate([rows[r]])[0][0]); }
            catch (SqlEvaluationException) { actual = "error"; }
            Assert.True(expected[r] == actual,
                $"{expression} on ({string.Join(", ", rows[r].Select(Text))}): DuckDB {expected[r]}, in process {actual}");
        }
    }

    [Fact]
    public void An_expression_outside_the_subset_is_not_compiled_and_says_what()
    {
        var view = View("sin(x)", FeatureValueType.Float64);
        Assert.Null(CompiledOnDemandView.TryCompile(view, _planner, out var reason));
        Assert.Contains("the function sin(Double)", reason ?? "");
    }

    [Fact]
    public void The_rule_chooses_in_process_only_when_every_expression_of_the_view_compiles()
    {
        var compiles = View("a + b", FeatureValueType.Int64);
        Assert.Equal(new OnDemandEvaluation(OnDemandEvaluation.InProcess), OnDemandEvaluations.Decide(compiles));
        var mixed = compiles with
        {
            Features = [.. compiles.Features, new OnDemandFeature("text", FeatureValueType.String, "CAST(a AS VARCHAR)")],
        };
        var decided = OnDemandEvaluations.Decide(mixed);
        Assert.Equal(OnDemandEvaluation.DuckDb, decided.Evaluator);
        Assert.Contains(":text uses a cast from BigInt to Varchar", decided.Reason);
    }

    [Fact]
    public void Views_of_one_name_and_version_in_two_projects_keep_their_own_expressions()
    {
        var first = View("a + 1", FeatureValueType.Int64) with { Name = "same", Version = 1 };
        var second = View("a + 2", FeatureValueType.Int64) with { Project = "other", Name = "same", Version = 1 };
        object?[] row = [10L, null, null, null, null, null, null, null, null, null];
        foreach (var chosen in new[] { (OnDemandEvaluation?)null, new OnDemandEvaluation(OnDemandEvaluation.InProcess) })
        {
            using var evaluator = new OnDemandEvaluator(Options.Create(new LimitOptions { OnDemandQueryMilliseconds = 600_000 }),
                Options.Create(new OnDemandOptions()), NullLogger<OnDemandEvaluator>.Instance);
            Assert.Equal(11L, evaluator.Evaluate(first with { Evaluation = chosen }, [row], "features")[0][0]);
            Assert.Equal(12L, evaluator.Evaluate(second with { Evaluation = chosen }, [row], "features")[0][0]);
        }
    }

    [Fact]
    public void The_duckdb_switch_sends_a_view_the_registry_put_in_process_to_duckdb_with_the_same_answer()
    {
        var view = View("a * 2 + 1", FeatureValueType.Int64) with { Evaluation = new OnDemandEvaluation(OnDemandEvaluation.InProcess) };
        object?[] row = [20L, null, null, null, null, null, null, null, null, null];
        var limits = Options.Create(new LimitOptions { OnDemandQueryMilliseconds = 600_000 });
        using var chosen = new OnDemandEvaluator(limits, Options.Create(new OnDemandOptions()), NullLogger<OnDemandEvaluator>.Instance);
        using var duckOnly = new OnDemandEvaluator(limits,
            Options.Create(new OnDemandOptions { Evaluator = OnDemandEvaluatorChoice.DuckDb }), NullLogger<OnDemandEvaluator>.Instance);
        Assert.NotNull(chosen.InProcessForm(view, "features"));
        Assert.Null(duckOnly.InProcessForm(view, "features"));
        Assert.Equal(41L, chosen.Evaluate(view, [row], "features")[0][0]);
        Assert.Equal(41L, duckOnly.Evaluate(view, [row], "features")[0][0]);
    }

    /// <summary>DuckDB's answer per row: all rows in one query, and row by row only when that query fails (to find which do).</summary>
    private List<string> DuckDbAnswers(OnDemandFeatureViewDefinition view, IReadOnlyList<object?[]> rows)
    {
        try { return [.. _duckDb.Evaluate(view, rows, "features").Select(r => Text(r[0]))]; }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return [.. rows.Select(row =>
            {
                try { return Text(_duckDb.Evaluate(view, [row], "features")[0][0]); }
                catch (Exception failure) when (failure is not Xunit.Sdk.XunitException) { return "error"; }
            })];
        }
    }

    private static OnDemandFeatureViewDefinition View(string expression, FeatureValueType type) =>
        new("p", $"od_{Seed(expression)}_{type}", ["v"], Inputs,
            [new SourceField("as_of", FeatureValueType.Timestamp)], [new OnDemandFeature("out", type, expression)], ObjectMetadata.Empty);

    // The same rows for an expression in every run (string.GetHashCode differs between processes).
    private static int Seed(string expression) => expression.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & 0x7fffffff;

    /// <summary>Rows in <see cref="OnDemandSql.StoredColumns"/> order: the inputs, then the request field.</summary>
    private static List<object?[]> RandomRows(Random random) =>
    [
        .. Enumerable.Range(0, Rows).Select(_ => new object?[]
        {
            Maybe(random, () => Long(random)), Maybe(random, () => Long(random)), Maybe(random, () => Int(random)),
            Maybe(random, () => Int(random)), Maybe(random, () => Double(random)), Maybe(random, () => Double(random)),
            Maybe(random, () => (float)Double(random)), Maybe(random, () => Instant(random)), Maybe(random, () => random.Next(2) == 1),
            Maybe(random, () => Instant(random)),
        }),
    ];

    private static object? Maybe(Random random, Func<object> value) => random.Next(10) == 0 ? null : value();

    private static long Long(Random random) => random.Next(8) switch
    {
        0 => long.MaxValue - random.Next(3),
        1 => long.MinValue + random.Next(3),
        2 => random.Next(-2, 3),
        3 => (long)random.Next() * random.Next(-1 << 16, 1 << 16),
        _ => random.Next(-1000, 1000),
    };

    private static int Int(Random random) => random.Next(6) switch
    {
        0 => int.MaxValue - random.Next(3),
        1 => int.MinValue + random.Next(3),
        2 => random.Next(-2, 3),
        _ => random.Next(-50_000, 50_000),
    };

    private static double Double(Random random) => random.Next(12) switch
    {
        0 => double.NaN,
        1 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        2 => random.Next(2) == 0 ? 0.0 : -0.0,
        3 => (random.Next(-10, 10) + 0.5), // halves: rounding ties
        4 => random.NextDouble() * 1e300 * (random.Next(2) == 0 ? 1 : -1),
        5 => random.NextDouble() * 1e-300,
        6 => 9.3e18 * (random.NextDouble() + 0.5) * (random.Next(2) == 0 ? 1 : -1), // around long's range
        _ => (random.NextDouble() - 0.5) * 2000,
    };

    // 1900–2100 with microsecond fractions, some on a leap day and some before 1970.
    private static DateTimeOffset Instant(Random random) => random.Next(10) == 0
        ? new DateTimeOffset(2024, 2, 29, random.Next(24), random.Next(60), 0, TimeSpan.Zero).AddTicks(random.Next(10_000_000))
        : new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)
            .AddTicks((long)(random.NextDouble() * 200 * TimeSpan.TicksPerDay * 365.25));

    private static string Text(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    public void Dispose()
    {
        _duckDb.Dispose();
        _planner.Dispose();
    }
}
