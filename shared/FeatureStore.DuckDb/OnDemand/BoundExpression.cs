namespace FeatureStore.DuckDb.OnDemand;

/// <summary>The DuckDB types a compiled expression computes with; anything else keeps the expression on DuckDB.</summary>
public enum SqlType
{
    Null,
    Boolean,
    Integer,
    BigInt,
    Float,
    Double,
    Decimal,
    Varchar,
    Timestamp,
    TimestampTz,
}

/// <summary>
/// One node of an expression as DuckDB bound it (<c>json_serialize_plan</c>): every implicit cast, every function overload and
/// every result type is DuckDB's own choice, so evaluating this tree means what the SQL means. <see cref="Type"/> is the type
/// the node's values have.
/// </summary>
public abstract record BoundExpression(SqlType Type);

/// <summary>An input column, by its position in the row the evaluator is given.</summary>
public sealed record BoundColumn(SqlType Type, int Input) : BoundExpression(Type);

/// <summary>A literal, already in its runtime form (long, double, decimal, string, bool, DateTime, or null).</summary>
public sealed record BoundConstant(SqlType Type, object? Value) : BoundExpression(Type);

/// <summary>A scalar function or arithmetic operator (<c>+</c>, <c>/</c>, <c>least</c>, <c>date_diff</c>, …) over its arguments.
/// </summary>
public sealed record BoundFunction(SqlType Type, string Name, IReadOnlyList<BoundExpression> Arguments) : BoundExpression(Type);

/// <summary><c>CAST</c> (or <c>TRY_CAST</c>: null instead of an error) of <see cref="Child"/> to <see cref="BoundExpression.Type"/>.
/// </summary>
public sealed record BoundCast(SqlType Type, BoundExpression Child, bool TryCast) : BoundExpression(Type);

/// <summary>A comparison (<c>COMPARE_EQUAL</c>, <c>COMPARE_LESSTHAN</c>, …, <c>COMPARE_DISTINCT_FROM</c>).</summary>
public sealed record BoundComparison(string Kind, BoundExpression Left, BoundExpression Right) : BoundExpression(SqlType.Boolean);

/// <summary><c>AND</c> / <c>OR</c> over any number of terms, with SQL's three-valued logic.</summary>
public sealed record BoundConjunction(bool And, IReadOnlyList<BoundExpression> Terms) : BoundExpression(SqlType.Boolean);

/// <summary><c>NOT</c>, <c>IS NULL</c>, <c>IS NOT NULL</c>, <c>COALESCE</c>, <c>IN</c>, <c>NOT IN</c>.</summary>
public sealed record BoundOperator(SqlType Type, string Kind, IReadOnlyList<BoundExpression> Operands) : BoundExpression(Type);

/// <summary><c>CASE WHEN … THEN … ELSE … END</c> (also what DuckDB makes of <c>NULLIF</c> and <c>IF</c>).</summary>
public sealed record BoundCase(SqlType Type, IReadOnlyList<(BoundExpression When, BoundExpression Then)> Checks, BoundExpression Else)
    : BoundExpression(Type);

/// <summary><c>x BETWEEN lower AND upper</c>, each bound inclusive or not.</summary>
public sealed record BoundBetween(BoundExpression Input, BoundExpression Lower, BoundExpression Upper, bool LowerInclusive,
    bool UpperInclusive) : BoundExpression(SqlType.Boolean);

/// <summary>An expression, or part of one, the in-process evaluator does not compute (it stays on DuckDB): why, in words.</summary>
public sealed class NotCompiledException(string reason) : Exception(reason);

/// <summary>What DuckDB itself would refuse for these inputs (an overflow, a value out of a type's range): the request's error.
/// </summary>
public sealed class SqlEvaluationException(string message) : Exception(message);
