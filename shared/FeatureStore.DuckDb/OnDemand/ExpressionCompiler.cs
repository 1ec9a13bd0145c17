namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// Turns a bound tree into a .NET delegate over one row of inputs (their runtime forms: int, long, float, double, bool,
/// string, DateTime at microseconds in UTC; null for SQL NULL). Each node becomes a closure doing what DuckDB does for that
/// node: <see cref="SqlCasts"/> for casts, <see cref="SqlFunctions"/> for functions and operators, SQL's three-valued logic
/// for AND, OR and NOT, DuckDB's ordering (NaN above every number) for comparisons. A node it does not know throws
/// <see cref="NotCompiledException"/> at compile time, never at evaluation.
/// </summary>
public static class ExpressionCompiler
{
    public static Func<object?[], object?> Compile(BoundExpression expression) => expression switch
    {
        BoundColumn column => row => row[column.Input],
        BoundConstant constant => Constant(constant.Value),
        BoundCast cast => SqlCasts.Compile(Compile(cast.Child), cast.Child.Type, cast.Type, cast.TryCast),
        BoundFunction function => SqlFunctions.Compile(function, [.. function.Arguments.Select(Compile)]),
        BoundComparison comparison => Comparison(comparison),
        BoundConjunction conjunction => Conjunction(conjunction.And, [.. conjunction.Terms.Select(Compile)]),
        BoundOperator op => Operator(op),
        BoundCase @case => Case(@case),
        BoundBetween between => Between(between),
        _ => throw new NotCompiledException($"{expression.GetType().Name} is not computed in process"),
    };

    private static Func<object?[], object?> Constant(object? value) => _ => value;

    private static Func<object?[], object?> Comparison(BoundComparison comparison)
    {
        var (left, right) = (Compile(comparison.Left), Compile(comparison.Right));
        if (comparison.Left.Type != comparison.Right.Type && comparison.Left.Type != SqlType.Null
            && comparison.Right.Type != SqlType.Null)
            throw new NotCompiledException($"a comparison of {comparison.Left.Type} with {comparison.Right.Type}");
        Func<int, bool> test = comparison.Kind switch
        {
            "COMPARE_EQUAL" or "COMPARE_NOT_DISTINCT_FROM" => c => c == 0,
            "COMPARE_NOTEQUAL" or "COMPARE_DISTINCT_FROM" => c => c != 0,
            "COMPARE_LESSTHAN" => c => c < 0,
            "COMPARE_GREATERTHAN" => c => c > 0,
            "COMPARE_LESSTHANOREQUALTO" => c => c <= 0,
            "COMPARE_GREATERTHANOREQUALTO" => c => c >= 0,
            var other => throw new NotCompiledException($"the comparison {other}"),
        };
        // DISTINCT FROM treats two nulls as equal and a null as different from any value; the others are null with a null side.
        if (comparison.Kind is "COMPARE_DISTINCT_FROM" or "COMPARE_NOT_DISTINCT_FROM")
            return row =>
            {
                var (a, b) = (left(row), right(row));
                return a is null || b is null ? test(a is null && b is null ? 0 : 1) : test(SqlOrder.Compare(a, b));
            };
        return row => left(row) is { } a && right(row) is { } b ? test(SqlOrder.Compare(a, b)) : null;
    }

    // AND: false wins over null, null over true; OR: true wins over null, null over false. Every term is evaluated, as DuckDB
    // does (an error in a later term is not hidden by an earlier false).
    private static Func<object?[], object?> Conjunction(bool and, IReadOnlyList<Func<object?[], object?>> terms) => row =>
    {
        var sawNull = false;
        var decided = false;
        foreach (var term in terms)
            switch (term(row))
            {
                case null: sawNull = true; break;
                case bool value when value != and: decided = true; break;
            }
        return decided ? !and : sawNull ? null : and;
    };

    private static Func<object?[], object?> Operator(BoundOperator op)
    {
        var operands = op.Operands.Select(Compile).ToList();
        return op.Kind switch
        {
            "OPERATOR_NOT" => row => operands[0](row) is bool b ? !b : null,
            "OPERATOR_IS_NULL" => row => operands[0](row) is null,
            "OPERATOR_IS_NOT_NULL" => row => operands[0](row) is not null,
            "OPERATOR_COALESCE" => row =>
            {
                foreach (var operand in operands)
                    if (operand(row) is { } value) return value;
                return null;
            }
            ,
            var other => throw new NotCompiledException($"the operator {other}"),
        };
    }

    private static Func<object?[], object?> Case(BoundCase @case)
    {
        var checks = @case.Checks.Select(c => (When: Compile(c.When), Then: Compile(c.Then))).ToList();
        var otherwise = Compile(@case.Else);
        return row =>
        {
            foreach (var (when, then) in checks)
                if (when(row) is true) return then(row);
            return otherwise(row);
        };
    }

    private static Func<object?[], object?> Between(BoundBetween between)
    {
        var (input, lower, upper) = (Compile(between.Input), Compile(between.Lower), Compile(between.Upper));
        return Conjunction(true,
        [
            row => input(row) is { } x && lower(row) is { } l ? between.LowerInclusive ? SqlOrder.Compare(x, l) >= 0
                : SqlOrder.Compare(x, l) > 0 : null,
            row => input(row) is { } x && upper(row) is { } u ? between.UpperInclusive ? SqlOrder.Compare(x, u) <= 0
                : SqlOrder.Compare(x, u) < 0 : null,
        ]);
    }
}

/// <summary>DuckDB's order of two values of one type: numbers as numbers with NaN above all (and equal to itself), strings by
/// their bytes (binary collation), false before true, instants in time.</summary>
public static class SqlOrder
{
    public static int Compare(object a, object b) => (a, b) switch
    {
        (double x, double y) => Doubles(x, y),
        (float x, float y) => Doubles(x, y),
        (long x, long y) => x.CompareTo(y),
        (int x, int y) => x.CompareTo(y),
        (decimal x, decimal y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y) is var c && c == 0 ? 0 : Utf8(x, y),
        (bool x, bool y) => x.CompareTo(y),
        (DateTime x, DateTime y) => x.CompareTo(y),
        _ => throw new SqlEvaluationException($"cannot compare {a.GetType().Name} with {b.GetType().Name}"),
    };

    private static int Doubles(double x, double y) =>
        double.IsNaN(x) ? double.IsNaN(y) ? 0 : 1 : double.IsNaN(y) ? -1 : x.CompareTo(y) is var c && c != 0 ? c : 0;

    // UTF-8 byte order, which differs from UTF-16 order only beyond the basic plane.
    private static int Utf8(string x, string y) =>
        System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y));
}
