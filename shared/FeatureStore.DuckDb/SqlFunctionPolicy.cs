using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb;

/// <summary>
/// What user SQL (view transformations, on-demand expressions) may call, checked on DuckDB's own parse tree
/// (<c>json_serialize_sql</c>) before it runs: the registry checks at apply time, the worker and feature-api again before they
/// run it (a definition stored before a rule existed is refused there too). Answers are cached per distinct SQL text, so the
/// online path pays one dictionary lookup after the first request.
/// <para>
/// The rule is an allow-list, not a deny-list: a function DuckDB adds in a later version stays refused until it is listed or
/// DuckDB files it under a data category. Allowed are (1) every aggregate and window function (they only fold the rows they
/// are given), (2) scalar functions DuckDB files under a data category (<see cref="DataCategories"/>: string, numeric, list,
/// …), (3) the uncategorized scalar functions and macros named in <see cref="SqlFunctionNames.Scalar"/> (operators, dates,
/// structs, JSON values), and (4) as table functions only the generators in <see cref="SqlFunctionNames.Table"/>. Everything
/// else is refused: settings and introspection (<c>current_setting</c>, <c>duckdb_*()</c>, <c>pragma_*</c>, <c>version</c>,
/// variables, sequences), files (<c>read_*</c>, <c>glob</c>), nested SQL (<c>query</c>), logging, sleeping, secrets.
/// Tables read must be ones the caller names (or CTEs in scope): catalog views such as <c>pg_settings</c> are refused too.
/// </para>
/// </summary>
public static class SqlFunctionPolicy
{
    /// <summary>
    /// The most values a generator (<c>range</c>, <c>generate_series</c>) may make, or characters/elements a padding or repeat
    /// may build, when its arguments are constants. One constant, not per-service configuration: the registry, the worker
    /// and feature-api must agree, or a run would refuse what the apply accepted. Non-constant arguments are bounded at run
    /// time by the query time limit.
    /// </summary>
    public const long MaxGeneratedValues = 1_000_000;

    private static readonly string[] DataCategories =
    [
        "aggregate", "array", "bitstring", "blob", "date", "geometry", "lambda", "list", "numeric", "regex", "string", "struct",
        "text_similarity", "timestamp", "variant",
    ];

    // Table reference kinds a query may use; anything else (SHOW, column data, ...) is refused.
    private static readonly FrozenSet<string> TableRefs =
        new[] { "BASE_TABLE", "EMPTY", "EXPRESSION_LIST", "JOIN", "SUBQUERY", "TABLE_FUNCTION" }.ToFrozenSet();

    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<(string Sql, string Tables), string?> Checked = new();
    private static readonly Lock Gate = new();
    private static DuckDBConnection? _parser;
    private static FrozenSet<string>? _functions;

    /// <summary>
    /// Null when <paramref name="select"/> calls only allowed functions and reads only <paramref name="tables"/> (and its own
    /// CTEs); otherwise why not, such as <c>function current_setting is not allowed</c>.
    /// </summary>
    public static string? Check(string select, params IReadOnlyCollection<string> tables)
    {
        var key = (select, string.Join('\n', tables.Order(StringComparer.Ordinal)));
        if (Checked.TryGetValue(key, out var known)) return known;
        // Apply-time SQL comes from clients: the cache is a convenience, not a store, so it may not grow without end.
        if (Checked.Count >= CacheLimit) Checked.Clear();
        return Checked[key] = Safely(select, tables);
    }

    // A tree of a shape the walk does not know, or text DuckDB cannot even hand to its parser, is refused, never a crash.
    private static string? Safely(string select, IReadOnlyCollection<string> tables)
    {
        try { return Refusal(Parse(select), tables); }
        catch (Exception e) when (e is DuckDBException or KeyNotFoundException or InvalidOperationException or JsonException)
        {
            return $"cannot be checked: {e.Message.Split('\n', 2)[0]}";
        }
    }

    /// <summary>As <see cref="Check"/> for an expression over the columns of a table named <paramref name="table"/>, written the
    /// way the registry's check and feature-api wrap it.</summary>
    public static string? CheckExpression(string expression, string table) => Check(ExpressionQuery(expression, table), table);

    /// <summary>An expression as the one-column query the registry describes: one wrapper, so the check and the
    /// description see the same text.</summary>
    public static string ExpressionQuery(string expression, string table) => $"SELECT ({expression}) AS value FROM {table}";

    private static JsonElement Parse(string sql)
    {
        lock (Gate)
        {
            _parser ??= DuckDbSandbox.OpenLocked(new DuckDbLimits(Threads: 1));
            _functions ??= AllowedFunctions(_parser);
            using var command = _parser.CreateCommand();
            // A constant, not a parameter: json_serialize_sql parses while the statement binds.
            command.CommandText = $"SELECT json_serialize_sql({DuckDbTypes.Literal(sql)})";
            using var tree = JsonDocument.Parse((string)command.ExecuteScalar()!);
            return tree.RootElement.Clone();
        }
    }

    private static FrozenSet<string> AllowedFunctions(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT DISTINCT function_name FROM duckdb_functions()
            WHERE function_type = 'aggregate' OR (function_type = 'scalar' AND len(categories) > 0
                AND list_has_all([{string.Join(", ", DataCategories.Select(DuckDbTypes.Literal))}], categories))
            """;
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(SqlFunctionNames.Scalar, StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    private static string? Refusal(JsonElement tree, IReadOnlyCollection<string> tables)
    {
        if (tree.GetProperty("error").GetBoolean())
        {
            var message = tree.TryGetProperty("error_message", out var m) ? m.GetString() : "it does not parse";
            // DuckDB serializes only SELECT: anything else (PRAGMA, SET, PIVOT statements) is not a query a view may run.
            return message?.StartsWith("Only SELECT", StringComparison.Ordinal) == true
                ? "must be a single SELECT query (DuckDB cannot check this statement)" : message;
        }
        var statements = tree.GetProperty("statements");
        if (statements.GetArrayLength() != 1) return "must be a single SELECT statement";
        return Walk(statements[0], tables.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Every object of the tree: functions are checked by name (table functions against their own list), tables
    /// read against those in scope (CTE names join the scope of the node that defines them).</summary>
    private static string? Walk(JsonElement node, FrozenSet<string> tables)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
                if (Walk(item, tables) is { } refusal) return refusal;
            return null;
        }
        if (node.ValueKind != JsonValueKind.Object) return null;

        if (node.TryGetProperty("cte_map", out var ctes) && ctes.GetProperty("map").GetArrayLength() > 0)
            tables = tables.Concat(ctes.GetProperty("map").EnumerateArray().Select(c => c.GetProperty("key").GetString()!))
                .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        // Table references carry a sample and a location but no expression class (query nodes have a sample, no location).
        var isTableRef = node.TryGetProperty("sample", out _) && node.TryGetProperty("query_location", out _)
            && !node.TryGetProperty("class", out _);
        var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (isTableRef && type is not null && !TableRefs.Contains(type)) return $"{type.ToLowerInvariant()} is not allowed";
        if (isTableRef && type == "BASE_TABLE" && TableName(node) is var table && !tables.Contains(table))
            return $"table {table} is not allowed (only {string.Join(", ", tables.Order())})";

        JsonElement? tableFunction = isTableRef && type == "TABLE_FUNCTION" ? node.GetProperty("function") : null;
        if (tableFunction is { } function)
        {
            var name = function.GetProperty("function_name").GetString()!;
            if (!SqlFunctionNames.Table.Contains(name)) return $"table function {name} is not allowed";
            if (SqlBounds.Refusal(name, function.GetProperty("children")) is { } bound) return bound;
            if (Walk(function.GetProperty("children"), tables) is { } inner) return inner;
        }
        else if (node.TryGetProperty("function_name", out var fn) && fn.GetString() is { } name)
        {
            if (!_functions!.Contains(name)) return $"function {name} is not allowed";
            if (node.TryGetProperty("children", out var arguments) && SqlBounds.Refusal(name, arguments) is { } bound) return bound;
        }
        foreach (var property in node.EnumerateObject())
            if (!(tableFunction is not null && property.Name == "function") && Walk(property.Value, tables) is { } refusal)
                return refusal;
        return null;
    }

    private static string TableName(JsonElement node)
    {
        var parts = new[] { "catalog_name", "schema_name", "table_name" }
            .Select(p => node.GetProperty(p).GetString()).Where(p => !string.IsNullOrEmpty(p));
        return string.Join('.', parts);
    }
}
