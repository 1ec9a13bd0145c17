using DuckDB.NET.Data;

namespace FeatureStore.DuckDb;

/// <summary>A statement of user SQL ran past its time limit and was interrupted; the connection stays usable.</summary>
public sealed class QueryTimeLimitException(TimeSpan limit, Exception inner)
    : Exception($"the query ran longer than its limit of {limit.TotalMilliseconds:0} ms and was stopped", inner)
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>
/// Runs a statement of user SQL within a time limit. A timer interrupts it through <see cref="DuckDBCommand.Cancel"/> (DuckDB's
/// <c>duckdb_interrupt</c>), which DuckDB checks between vectors, so even a single CPU-bound expression (a hash over a large
/// range) stops within milliseconds of the limit. Interrupting a connection that already finished does nothing to its next
/// statement, so a timer firing late is harmless.
/// </summary>
public static class DuckDbTimeLimit
{
    /// <summary>What <paramref name="run"/> answers for <paramref name="command"/>, or <see cref="QueryTimeLimitException"/>
    /// when it is still running after <paramref name="limit"/> (reading its rows included). The caller cancelling (its client
    /// gone, its request past its own time limit) interrupts it too, as an <see cref="OperationCanceledException"/>: no query
    /// keeps burning CPU for an answer nobody waits for.</summary>
    public static T Run<T>(DuckDBCommand command, TimeSpan limit, Func<DuckDBCommand, T> run, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timer = new CancellationTokenSource(limit);
        using var interrupt = timer.Token.Register(command.Cancel);
        using var abandoned = cancellationToken.Register(command.Cancel);
        try
        {
            return run(command);
        }
        catch (Exception e) when ((timer.IsCancellationRequested || cancellationToken.IsCancellationRequested)
                                  && e is OperationCanceledException or DuckDBException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new QueryTimeLimitException(limit, e);
        }
    }

    public static void Execute(DuckDBConnection connection, string sql, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Run(command, limit, c => c.ExecuteNonQuery(), cancellationToken);
    }
}
