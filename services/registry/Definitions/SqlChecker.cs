using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.Registry.Definitions;

public sealed record SqlColumn(string Name, string SqlType)
{
    public FeatureValueType? Type => DuckDbTypes.FromSql(SqlType);
}

/// <summary>
/// Asks DuckDB what a query or expression would produce over a table of given columns, without data:
/// the user's SQL only ever runs as <c>DESCRIBE</c> against an empty in-memory table, in a <see cref="DuckDbSandbox"/>
/// locked from the start (no file, no network), and only once <see cref="SqlFunctionPolicy"/> allows every function and table
/// it names, so DuckDB never even binds a refused one.
/// </summary>
public sealed class SqlChecker : IDisposable
{
    private readonly DuckDBConnection _connection = DuckDbSandbox.OpenLocked();
    private int _tables;

    /// <summary>The output columns of <paramref name="select"/> run over a table named <paramref name="tableName"/>, or
    /// DuckDB's complaint.</summary>
    public (IReadOnlyList<SqlColumn>? Columns, string? Error) Describe(string tableName, IReadOnlyList<SourceField> input, string select)
    {
        if (HasStatementSeparator(select)) return (null, "must be a single SELECT statement (no ';')");
        select = select.TrimEnd().TrimEnd(';');
        if (SqlFunctionPolicy.Check(select, tableName) is { } refused) return (null, refused);
        // DuckDB tables need a column; an expression over no inputs still needs a row to run on.
        if (input.Count == 0) input = [new SourceField("__row", FeatureValueType.Int32)];
        var table = $"t{++_tables}";
        try
        {
            _connection.Execute($"CREATE SCHEMA {table}");
            _connection.Execute($"CREATE TABLE {table}.{DuckDbTypes.Quote(tableName)} " +
                $"({string.Join(", ", input.Select(c => $"{DuckDbTypes.Quote(c.Name)} {DuckDbTypes.ToSql(c.Type)}"))})");
            _connection.Execute($"SET search_path = '{table}'");
            using var command = _connection.CreateCommand();
            command.CommandText = $"DESCRIBE ({select})";
            using var reader = command.ExecuteReader();
            var columns = new List<SqlColumn>();
            while (reader.Read()) columns.Add(new SqlColumn(reader.GetString(0), reader.GetString(1)));
            return (columns, null);
        }
        catch (DuckDBException e)
        {
            return (null, Clean(e.Message));
        }
    }

    /// <summary>The type of <paramref name="expression"/> evaluated over a row of the given columns.</summary>
    public (SqlColumn? Column, string? Error) DescribeExpression(IReadOnlyList<SourceField> input, string expression)
    {
        var (columns, error) = Describe("inputs", input, SqlFunctionPolicy.ExpressionQuery(expression, "inputs"));
        return columns is null ? (null, error) : (columns.Single(), null);
    }

    /// <summary>A ';' outside quotes would let a second statement ride along; one statement is all a check runs.</summary>
    private static bool HasStatementSeparator(string sql)
    {
        char? quote = null;
        foreach (var c in sql.TrimEnd().TrimEnd(';'))
        {
            if (quote is null && c is '\'' or '"') quote = c;
            else if (c == quote) quote = null;
            else if (quote is null && c == ';') return true;
        }
        return false;
    }

    private static string Clean(string message) => message.Replace("\n", " ").Trim();

    public void Dispose() => _connection.Dispose();
}
