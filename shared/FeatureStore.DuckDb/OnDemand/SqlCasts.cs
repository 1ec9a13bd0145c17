namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// DuckDB's casts between the types the in-process evaluator knows: numbers widen exactly; a number narrowed out of its
/// target's range is an error (null for <c>TRY_CAST</c>); a floating value cast to an integer rounds half to even (C's
/// <c>nearbyint</c>), a decimal one half away from zero;
/// numbers and booleans convert as 1/0. Casts to or from text are not compiled (DuckDB's number formatting and parsing stay
/// with DuckDB).
/// </summary>
public static class SqlCasts
{
    public static Func<object?[], object?> Compile(Func<object?[], object?> child, SqlType from, SqlType to, bool tryCast)
    {
        if (from == to || (from, to) is (SqlType.Timestamp, SqlType.TimestampTz) or (SqlType.TimestampTz, SqlType.Timestamp))
            return child; // one instant either way in a UTC session
        if (from == SqlType.Null) return _ => null;
        var convert = Converter(from, to);
        if (tryCast)
            return row =>
            {
                if (child(row) is not { } value) return null;
                try { return convert(value); }
                catch (SqlEvaluationException) { return null; }
            };
        return row => child(row) is { } value ? convert(value) : null;
    }

    private static Func<object, object> Converter(SqlType from, SqlType to) => (from, to) switch
    {
        (_, SqlType.Double) when Numeric(from) => v => ToDouble(v),
        (_, SqlType.Float) when Numeric(from) => v => ToFloat(ToDouble(v), from),
        (SqlType.Integer, SqlType.BigInt) => v => (long)(int)v,
        (SqlType.BigInt, SqlType.Integer) => v => (long)v is var l && l is >= int.MinValue and <= int.MaxValue ? (int)l
            : throw OutOfRange(from, v, to),
        (SqlType.Float or SqlType.Double, SqlType.BigInt) => v => RoundToLong(ToDouble(v), from, to),
        (SqlType.Float or SqlType.Double, SqlType.Integer) => v => RoundToLong(ToDouble(v), from, to) is var l
            && l is >= int.MinValue and <= int.MaxValue ? (int)l : throw OutOfRange(from, v, to),
        (SqlType.Decimal, SqlType.BigInt) => v => RoundDecimal((decimal)v, from, to),
        (SqlType.Decimal, SqlType.Integer) => v => RoundDecimal((decimal)v, from, to) is var l
            && l is >= int.MinValue and <= int.MaxValue ? (int)l : throw OutOfRange(from, v, to),
        (SqlType.Boolean, SqlType.Integer) => v => (bool)v ? 1 : 0,
        (SqlType.Boolean, SqlType.BigInt) => v => (bool)v ? 1L : 0L,
        (SqlType.Integer, SqlType.Boolean) => v => (int)v != 0,
        (SqlType.BigInt, SqlType.Boolean) => v => (long)v != 0,
        _ => throw new NotCompiledException($"a cast from {from} to {to}"),
    };

    private static bool Numeric(SqlType type) =>
        type is SqlType.Integer or SqlType.BigInt or SqlType.Float or SqlType.Double or SqlType.Decimal;

    private static double ToDouble(object value) => value switch
    {
        int i => i,
        long l => l,
        float f => f,
        double d => d,
        decimal m => (double)m,
        _ => throw new SqlEvaluationException($"{value.GetType().Name} is not a number"),
    };

    private static float ToFloat(double value, SqlType from) =>
        double.IsFinite(value) && Math.Abs(value) > float.MaxValue ? throw OutOfRange(from, value, SqlType.Float) : (float)value;

    private static long RoundToLong(double value, SqlType from, SqlType to)
    {
        var rounded = Math.Round(value, MidpointRounding.ToEven);
        // 2^63 itself is out of range; every double below it converts exactly.
        return double.IsFinite(rounded) && rounded >= -9223372036854775808.0 && rounded < 9223372036854775808.0
            ? (long)rounded : throw OutOfRange(from, value, to);
    }

    private static long RoundDecimal(decimal value, SqlType from, SqlType to)
    {
        var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded is >= long.MinValue and <= long.MaxValue ? (long)rounded : throw OutOfRange(from, value, to);
    }

    private static SqlEvaluationException OutOfRange(SqlType from, object value, SqlType to) =>
        new($"Conversion Error: {from} value {value} is out of range for {to}");
}
