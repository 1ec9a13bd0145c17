using System.Data.Common;

namespace FeatureStore.Storage.Sql;

/// <summary>Commands over an open connection with named parameters (only those the SQL uses are bound): the stores' one way to talk
/// SQL.</summary>
public static class SqlCommands
{
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql,
        Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }

    /// <summary>Many rows in one INSERT (a batch is a few round trips, not one per row): the VALUES list
    /// <c>(@r0_a, @r0_b), (@r1_a, @r1_b)</c> for <paramref name="rows"/>, each a value per one of <paramref name="names"/>, and its
    /// parameters.</summary>
    public static (string Values, (string Name, object? Value)[] Parameters) ManyRows(IReadOnlyList<string> names,
        IReadOnlyList<object?[]> rows)
    {
        var values = string.Join(", ", rows.Select((_, row) => $"({string.Join(", ", names.Select(n => $"@r{row}_{n}"))})"));
        var parameters = rows.SelectMany((row, r) => names.Select((name, i) => ($"r{r}_{name}", row[i]))).ToArray();
        return (values, parameters);
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            if (sql.Contains('@' + name, StringComparison.Ordinal)) command.Parameters.Add(Parameter(command, name, value));
        return command;
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}
