using FeatureStore.Domain;
using FeatureStore.Storage.Sql;

namespace FeatureStore.ModelApi.Storage;

/// <summary>model-api's tables: ordered schema versions. Append new ones; never edit an applied one.</summary>
public static class ModelSchema
{
    // "IF NOT EXISTS": the registry's migrations created these tables before model-api owned them, so a database made
    // then keeps its model versions: this schema takes them over as they are.
    public static readonly SqlSchema Schema = new("models", HistoryTable: "model_schema_migrations", LockKey: 7346510022,
    [
        (1, """
            CREATE TABLE IF NOT EXISTS model_versions (
              model TEXT NOT NULL,
              version INTEGER NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              training_job TEXT NOT NULL,
              artifact TEXT NOT NULL,
              details TEXT NOT NULL,
              PRIMARY KEY (model, version));
            CREATE TABLE IF NOT EXISTS model_promotions (
              model TEXT PRIMARY KEY,
              version INTEGER NOT NULL,
              promoted_at TIMESTAMPTZ NOT NULL);
            CREATE TABLE IF NOT EXISTS training_jobs (
              id TEXT PRIMARY KEY,
              model TEXT NOT NULL,
              status TEXT NOT NULL,
              request TEXT NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              started_at TIMESTAMPTZ,
              finished_at TIMESTAMPTZ,
              error TEXT,
              version INTEGER);
            CREATE INDEX IF NOT EXISTS ix_training_jobs_model ON training_jobs (model, created_at);
            """),
        // One open job per model, held by the database as for materializations (it was a lock and a read before). Should
        // a database hold several, the newest stays open.
        (2, $"""
            UPDATE training_jobs SET status = 'failed', error = 'superseded by a newer job of the same model', finished_at = created_at
            WHERE status IN {JobStatuses.OpenSql} AND id NOT IN (
              SELECT t.id FROM training_jobs t WHERE t.status IN {JobStatuses.OpenSql} AND t.created_at =
                (SELECT MAX(u.created_at) FROM training_jobs u WHERE u.model = t.model AND u.status IN {JobStatuses.OpenSql}));
            CREATE UNIQUE INDEX IF NOT EXISTS ux_training_jobs_active ON training_jobs (model) WHERE status IN {JobStatuses.OpenSql};
            """),
        // The prediction log (predictions of a customer, by version) and the outcomes later recorded for customers: joined,
        // they are each version's performance in production.
        (3, """
            CREATE TABLE model_predictions (
              id TEXT PRIMARY KEY,
              model TEXT NOT NULL,
              version INTEGER NOT NULL,
              customer TEXT NOT NULL,
              probability DOUBLE PRECISION NOT NULL,
              threshold DOUBLE PRECISION NOT NULL,
              degraded INTEGER NOT NULL,
              predicted_at TIMESTAMPTZ NOT NULL);
            CREATE INDEX ix_model_predictions_customer ON model_predictions (model, customer, predicted_at);
            CREATE TABLE model_outcomes (
              model TEXT NOT NULL,
              customer TEXT NOT NULL,
              outcome_at TIMESTAMPTZ NOT NULL,
              label INTEGER NOT NULL,
              recorded_at TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (model, customer, outcome_at));
            """),
    ]);
}
