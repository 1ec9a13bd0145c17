using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Which feature-service versions each model version uses (for lineage), and each model's promoted version.</summary>
public sealed partial class SqlRegistryStore
{
    public async Task RecordModelUsesAsync(IReadOnlyList<ModelUse> uses, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var use in uses)
            await ExecuteAsync(connection, null, """
                INSERT INTO model_uses (project, model, version, feature_service, feature_service_version, role, trained_at)
                VALUES (@project, @model, @version, @service, @serviceVersion, @role, @at) ON CONFLICT DO NOTHING
                """, cancellationToken, ("project", use.Project), ("model", use.Model), ("version", use.Version),
                ("service", use.FeatureService),
                ("serviceVersion", use.FeatureServiceVersion), ("role", use.Role), ("at", use.TrainedAt.ToUniversalTime()));
    }

    public async Task<IReadOnlyList<ModelUse>> ListModelUsesAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT project, model, version, feature_service, feature_service_version, role, trained_at FROM model_uses
            WHERE project = @project ORDER BY model, version, role
            """, r => new ModelUse(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)), r.GetString(3),
                Convert.ToInt32(r.GetValue(4)),
                r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)), cancellationToken, ("project", project));
    }

    public async Task RecordPromotionAsync(PromotedModel promotion, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Events can arrive out of order: a promotion older than the recorded one changes nothing.
        await ExecuteAsync(connection, null, """
            INSERT INTO promoted_models (model, project, version, dataset, training_feature_service, serving_feature_service,
              promoted_at)
            VALUES (@model, @project, @version, @dataset, @training, @serving, @at)
            ON CONFLICT (model) DO UPDATE SET project = excluded.project, version = excluded.version, dataset = excluded.dataset,
              training_feature_service = excluded.training_feature_service,
              serving_feature_service = excluded.serving_feature_service, promoted_at = excluded.promoted_at
            WHERE promoted_models.promoted_at <= excluded.promoted_at
            """, cancellationToken, ("model", promotion.Model), ("project", promotion.Project), ("version", promotion.Version),
            ("dataset", promotion.Dataset), ("training", promotion.TrainingFeatureService),
            ("serving", promotion.ServingFeatureService), ("at", promotion.PromotedAt.ToUniversalTime()));
    }

    public async Task<IReadOnlyList<PromotedModel>> ListPromotionsAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT project, model, version, dataset, training_feature_service, serving_feature_service, promoted_at
            FROM promoted_models WHERE project = @project ORDER BY model
            """, r => new PromotedModel(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)), cancellationToken, ("project", project));
    }
}
