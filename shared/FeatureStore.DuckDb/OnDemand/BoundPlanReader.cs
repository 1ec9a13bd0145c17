using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// Asks DuckDB how it binds an expression over typed input columns (<c>json_serialize_plan</c> of
/// <c>SELECT CAST((expression) AS type) FROM inputs</c>, unoptimized: no folding by the empty table's statistics) and reads the
/// projection's bound tree into <see cref="BoundExpression"/>s. A node of a kind it does not know is a
/// <see cref="NotCompiledException"/> naming it.
/// </summary>
public static class BoundPlanReader
{
    /// <summary>The bound tree of <paramref name="expression"/>, cast to <paramref name="result"/>, over <paramref name="columns"/>
    /// (their names as the expression uses them, their declared types, in the order the evaluator's rows hold them).</summary>
    public static BoundExpression Read(DuckDBConnection connection, IReadOnlyList<(string Name, FeatureValueType Type)> columns,
        string expression, FeatureValueType result)
    {
        var table = $"ondemand_inputs_{Guid.NewGuid():N}";
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TEMP TABLE {table} ({string.Join(", ",
            columns.Select(c => $"{DuckDbTypes.Quote(c.Name)} {DuckDbTypes.ToSql(c.Type)}"))})";
        command.ExecuteNonQuery();
        try
        {
            var select = $"SELECT CAST(({expression}) AS {DuckDbTypes.ToSql(result)}) AS value FROM {table}";
            command.CommandText = $"SELECT json_serialize_plan({DuckDbTypes.Literal(select)}, optimize := false)";
            using var plan = JsonDocument.Parse((string)command.ExecuteScalar()!);
            var root = plan.RootElement;
            if (root.TryGetProperty("error", out var error) && error.GetBoolean())
                throw new NotCompiledException($"DuckDB could not plan it: {root.GetProperty("error_message").GetString()}");
            var projection = root.GetProperty("plans")[0];
            var scan = Scan(projection);
            var names = scan.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToList();
            var read = scan.GetProperty("column_indexes").EnumerateArray().Select(c => c.GetProperty("index").GetInt32())
                .Select(i => columns.Select((c, position) => (c.Name, position)).First(c => c.Name == names[i]).position).ToList();
            return Node(projection.GetProperty("expressions")[0], read);
        }
        finally
        {
            command.CommandText = $"DROP TABLE {table}";
            command.ExecuteNonQuery();
        }
    }

    private static JsonElement Scan(JsonElement node)
    {
        while (node.GetProperty("type").GetString() != "LOGICAL_GET")
        {
            var children = node.GetProperty("children");
            if (children.GetArrayLength() != 1) throw new NotCompiledException($"an unexpected plan ({node.GetProperty("type")})");
            node = children[0];
        }
        return node;
    }

    private static BoundExpression Node(JsonElement node, IReadOnlyList<int> read)
    {
        var kind = node.GetProperty("expression_class").GetString();
        var type = node.TryGetProperty("return_type", out var returned) ? TypeOf(returned) : SqlType.Boolean;
        IReadOnlyList<BoundExpression> Children(string name) =>
            [.. node.GetProperty(name).EnumerateArray().Select(child => Node(child, read))];
        return kind switch
        {
            "BOUND_REF" => new BoundColumn(type, read[node.GetProperty("index").GetInt32()]),
            "BOUND_CONSTANT" => Constant(node.GetProperty("value")),
            "BOUND_CAST" => new BoundCast(type, Node(node.GetProperty("child"), read), node.GetProperty("try_cast").GetBoolean()),
            "BOUND_FUNCTION" => new BoundFunction(type, node.GetProperty("name").GetString()!, Children("children")),
            "BOUND_COMPARISON" => new BoundComparison(node.GetProperty("type").GetString()!, Node(node.GetProperty("left"), read),
                Node(node.GetProperty("right"), read)),
            "BOUND_CONJUNCTION" => new BoundConjunction(node.GetProperty("type").GetString() == "CONJUNCTION_AND", Children("children")),
            "BOUND_OPERATOR" => new BoundOperator(type, node.GetProperty("type").GetString()!, Children("children")),
            "BOUND_CASE" => new BoundCase(type, [.. node.GetProperty("case_checks").EnumerateArray()
                .Select(c => (Node(c.GetProperty("when_expr"), read), Node(c.GetProperty("then_expr"), read)))],
                Node(node.GetProperty("else_expr"), read)),
            "BOUND_BETWEEN" => new BoundBetween(Node(node.GetProperty("input"), read), Node(node.GetProperty("lower"), read),
                Node(node.GetProperty("upper"), read), node.GetProperty("lower_inclusive").GetBoolean(),
                node.GetProperty("upper_inclusive").GetBoolean()),
            _ => throw new NotCompiledException($"{kind} is not computed in process"),
        };
    }

    private static BoundConstant Constant(JsonElement value)
    {
        var type = TypeOf(value.GetProperty("type"));
        if (value.GetProperty("is_null").GetBoolean()) return new BoundConstant(type, null);
        var raw = value.GetProperty("value");
        return new BoundConstant(type, type switch
        {
            SqlType.Boolean => raw.GetBoolean(),
            SqlType.Integer => raw.GetInt32(),
            SqlType.BigInt => raw.GetInt64(),
            SqlType.Float => raw.GetSingle(),
            SqlType.Double => raw.GetDouble(),
            SqlType.Decimal => DecimalValue(raw, value.GetProperty("type")),
            SqlType.Varchar => raw.GetString(),
            _ => throw new NotCompiledException($"a constant of type {value.GetProperty("type").GetProperty("id")}"),
        });
    }

    // A DECIMAL(width, scale) constant is its unscaled integer: 86400.0 is DECIMAL(6,1) holding 864000.
    private static decimal DecimalValue(JsonElement raw, JsonElement type)
    {
        var scale = type.GetProperty("type_info").GetProperty("scale").GetInt32();
        var text = raw.ValueKind == JsonValueKind.String ? raw.GetString()! : raw.GetRawText();
        var unscaled = decimal.Parse(text, CultureInfo.InvariantCulture);
        return unscaled / (decimal)Math.Pow(10, scale);
    }

    private static SqlType TypeOf(JsonElement type) => type.GetProperty("id").GetString() switch
    {
        "NULL" => SqlType.Null,
        "BOOLEAN" => SqlType.Boolean,
        "INTEGER" => SqlType.Integer,
        "BIGINT" => SqlType.BigInt,
        "FLOAT" => SqlType.Float,
        "DOUBLE" => SqlType.Double,
        "DECIMAL" => SqlType.Decimal,
        "VARCHAR" => SqlType.Varchar,
        "TIMESTAMP" => SqlType.Timestamp,
        "TIMESTAMP WITH TIME ZONE" => SqlType.TimestampTz,
        var other => throw new NotCompiledException($"values of type {other}"),
    };
}
