using System.Data.Common;
using FeatureStore.Storage.Sql;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.ModelApi.Storage;

public sealed class SqlPerformanceStore(DbDataSource dataSource) : IPerformanceStore
{
    private const int RowsPerInsert = 50;

    private static readonly string[] PredictionColumns =
        ["id", "model", "version", "customer", "probability", "threshold", "degraded", "predicted_at"];

    private static readonly string[] OutcomeColumns = ["model", "customer", "outcome_at", "label", "recorded_at"];

    public SqlPerformanceStore(SqlDatabase database) : this(database.DataSource) { }

    public async Task AddPredictionsAsync(IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var rows in predictions.Chunk(RowsPerInsert))
        {
            var (values, parameters) = ManyRows(PredictionColumns, rows.Select(p => new object?[]
            {
                p.Id.ToString("D"), p.Model, p.Version, p.Customer, p.Probability, p.Threshold, p.Degraded ? 1 : 0,
                p.PredictedAt.ToUniversalTime(),
            }).ToList());
            await ExecuteAsync(connection, null,
                $"INSERT INTO model_predictions ({string.Join(", ", PredictionColumns)}) VALUES {values} ON CONFLICT (id) DO NOTHING",
                cancellationToken, parameters);
        }
    }

    public async Task AddOutcomesAsync(IReadOnlyList<RecordedOutcome> outcomes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Within one statement a key may appear once: the last outcome sent for a customer and time wins.
        foreach (var rows in outcomes.GroupBy(o => (o.Model, o.Customer, o.At.UtcTicks)).Select(g => g.Last()).Chunk(RowsPerInsert))
        {
            var (values, parameters) = ManyRows(OutcomeColumns, rows.Select(o => new object?[]
            {
                o.Model, o.Customer, o.At.ToUniversalTime(), o.Label ? 1 : 0, at.ToUniversalTime(),
            }).ToList());
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO model_outcomes ({string.Join(", ", OutcomeColumns)}) VALUES {values}
                ON CONFLICT (model, customer, outcome_at) DO UPDATE SET label = excluded.label, recorded_at = excluded.recorded_at
                """, cancellationToken, parameters);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MatchedOutcome>> MatchOutcomesAsync(string model, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT p.version, p.probability, p.threshold, o.label, o.outcome_at
            FROM model_outcomes o JOIN model_predictions p ON p.model = o.model AND p.customer = o.customer
            WHERE o.model = @model AND o.outcome_at >= @start AND o.outcome_at < @end
              AND p.id = (SELECT q.id FROM model_predictions q
                          WHERE q.model = o.model AND q.customer = o.customer AND q.predicted_at <= o.outcome_at
                          ORDER BY q.predicted_at DESC, q.id LIMIT 1)
            ORDER BY o.outcome_at
            """, r => new MatchedOutcome(Convert.ToInt32(r.GetValue(0)), r.GetDouble(1), r.GetDouble(2),
                Convert.ToInt32(r.GetValue(3)) != 0, r.GetFieldValue<DateTimeOffset>(4)),
            cancellationToken, ("model", model), ("start", start.ToUniversalTime()), ("end", end.ToUniversalTime()));
    }
}
