namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// The functions and operators the in-process evaluator computes, as DuckDB binds them (name, argument and result types):
/// integer arithmetic that overflows is an error, as in DuckDB; integer division or modulo by zero is null, floating ones
/// follow IEEE 754 (infinity, NaN); <c>least</c> and <c>greatest</c> skip nulls; <c>round</c> rounds half away from zero;
/// <c>date_diff</c> counts the boundaries of its part between two instants; <c>epoch</c> sums as DuckDB does. Every other
/// function (or overload) is a <see cref="NotCompiledException"/>: it stays on DuckDB.
/// Null in, null out, unless said otherwise.
/// </summary>
public static class SqlFunctions
{
    public static Func<object?[], object?> Compile(BoundFunction function, IReadOnlyList<Func<object?[], object?>> arguments)
    {
        var (name, result) = (function.Name, function.Type);
        var types = function.Arguments.Select(a => a.Type).ToList();
        switch (name, arguments.Count)
        {
            case ("least" or "greatest", > 0):
                var sign = name == "least" ? -1 : 1;
                return row =>
                {
                    object? best = null;
                    foreach (var argument in arguments)
                        if (argument(row) is { } value && (best is null || Math.Sign(SqlOrder.Compare(value, best)) == sign)) best = value;
                    return best;
                };
            case ("date_diff" or "datediff", 3) when Instant(types[1]) && Instant(types[2])
                                                    && function.Arguments[0] is BoundConstant { Value: string part }
                                                    && DateParts.Known(part):
                return Strict3(arguments, (part, start, end) => DateParts.Difference((string)part, (DateTime)start, (DateTime)end));
            case ("epoch", 1) when Instant(types[0]) && result == SqlType.Double:
                return Strict(arguments, types[0] == SqlType.TimestampTz ? v => ZonedEpoch((DateTime)v) : v => Micros((DateTime)v) / 1e6);
        }
        if (arguments.Count == 1 && Unary(name, result) is { } unary) return Strict(arguments, unary);
        if (arguments.Count == 2 && types[0] == types[1] && Binary(name, types[0]) is { } binary)
            return row => arguments[0](row) is { } a && arguments[1](row) is { } b ? binary(a, b) : null;
        throw new NotCompiledException($"the function {name}({string.Join(", ", types)})");
    }

    private static Func<object, object?>? Unary(string name, SqlType type) => (name, type) switch
    {
        ("-", SqlType.BigInt) => v => Checked(() => checked(-(long)v), "negation", type),
        ("-", SqlType.Integer) => v => Checked(() => checked(-(int)v), "negation", type),
        ("-", SqlType.Double) => v => -(double)v,
        ("-", SqlType.Float) => v => -(float)v,
        ("abs", SqlType.BigInt) => v => Checked(() => checked(Math.Abs((long)v)), "abs", type),
        ("abs", SqlType.Integer) => v => Checked(() => checked(Math.Abs((int)v)), "abs", type),
        ("abs", SqlType.Double) => v => Math.Abs((double)v),
        ("round", SqlType.Double) => v => Math.Round((double)v, MidpointRounding.AwayFromZero),
        ("round" or "floor" or "ceil" or "ceiling", SqlType.BigInt or SqlType.Integer) => v => v,
        ("floor", SqlType.Double) => v => Math.Floor((double)v),
        ("ceil" or "ceiling", SqlType.Double) => v => Math.Ceiling((double)v),
        ("sqrt", SqlType.Double) => v => (double)v < 0
            ? throw new SqlEvaluationException("cannot take the square root of a negative number") : Math.Sqrt((double)v),
        ("exp", SqlType.Double) => v => Math.Exp((double)v),
        ("ln", SqlType.Double) => v => Logarithm((double)v, Math.Log),
        ("log10" or "log", SqlType.Double) => v => Logarithm((double)v, Math.Log10),
        _ => null,
    };

    private static Func<object, object, object?>? Binary(string name, SqlType type) => (name, type) switch
    {
        ("+", SqlType.BigInt) => (a, b) => Checked(() => checked((long)a + (long)b), "addition", type),
        ("-", SqlType.BigInt) => (a, b) => Checked(() => checked((long)a - (long)b), "subtraction", type),
        ("*", SqlType.BigInt) => (a, b) => Checked(() => checked((long)a * (long)b), "multiplication", type),
        ("+", SqlType.Integer) => (a, b) => Checked(() => checked((int)a + (int)b), "addition", type),
        ("-", SqlType.Integer) => (a, b) => Checked(() => checked((int)a - (int)b), "subtraction", type),
        ("*", SqlType.Integer) => (a, b) => Checked(() => checked((int)a * (int)b), "multiplication", type),
        ("//", SqlType.BigInt) => (a, b) => (long)b == 0 ? null : Checked(() => checked((long)a / (long)b), "division", type),
        ("//", SqlType.Integer) => (a, b) => (int)b == 0 ? null : Checked(() => checked((int)a / (int)b), "division", type),
        // The smallest value modulo -1 overflows in DuckDB (as its division does); C# would throw for it anyway.
        ("%", SqlType.BigInt) => (a, b) => (long)b == 0 ? null : Checked(() => checked((long)a % (long)b), "modulo", type),
        ("%", SqlType.Integer) => (a, b) => (int)b == 0 ? null : Checked(() => checked((int)a % (int)b), "modulo", type),
        ("+", SqlType.Double) => (a, b) => (double)a + (double)b,
        ("-", SqlType.Double) => (a, b) => (double)a - (double)b,
        ("*", SqlType.Double) => (a, b) => (double)a * (double)b,
        // Floating division and modulo follow IEEE 754, as DuckDB's do: by zero gives ±infinity or NaN, not null.
        ("/", SqlType.Double) => (a, b) => (double)a / (double)b,
        ("%", SqlType.Double) => (a, b) => (double)a % (double)b,
        ("+", SqlType.Float) => (a, b) => (float)a + (float)b,
        ("-", SqlType.Float) => (a, b) => (float)a - (float)b,
        ("*", SqlType.Float) => (a, b) => (float)a * (float)b,
        ("/", SqlType.Float) => (a, b) => (float)a / (float)b,
        ("pow" or "power", SqlType.Double) => (a, b) => Math.Pow((double)a, (double)b),
        _ => null,
    };

    private static long Micros(DateTime at) => (at - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    // DuckDB's time-zone functions (ICU) count in milliseconds and add the microseconds left over: the two sums differ from
    // microseconds / 1e6 in the last bit for some instants, so the sum is made the same way.
    private static double ZonedEpoch(DateTime at)
    {
        var milliseconds = Math.DivRem(Micros(at), 1000L, out var rest);
        if (rest < 0) (milliseconds, rest) = (milliseconds - 1, rest + 1000);
        return milliseconds / 1000.0 + rest / 1e6;
    }

    // TIMESTAMP WITH TIME ZONE computes as TIMESTAMP here: the sandbox's time zone is UTC, so calendar parts are UTC's.
    private static bool Instant(SqlType type) => type is SqlType.Timestamp or SqlType.TimestampTz;

    private static double Logarithm(double value, Func<double, double> log) => value switch
    {
        0 => throw new SqlEvaluationException("cannot take the logarithm of zero"),
        < 0 => throw new SqlEvaluationException("cannot take the logarithm of a negative number"),
        _ => log(value),
    };

    private static object Checked<T>(Func<T> operation, string what, SqlType type) where T : notnull
    {
        try { return operation(); }
        catch (OverflowException) { throw new SqlEvaluationException($"Out of Range Error: Overflow in {what} of {type}"); }
    }

    private static Func<object?[], object?> Strict(IReadOnlyList<Func<object?[], object?>> arguments, Func<object, object?> f) =>
        row => arguments[0](row) is { } v ? f(v) : null;

    private static Func<object?[], object?> Strict3(IReadOnlyList<Func<object?[], object?>> arguments,
        Func<object, object, object, object?> f) =>
        row => arguments[0](row) is { } a && arguments[1](row) is { } b && arguments[2](row) is { } c ? f(a, b, c) : null;
}
