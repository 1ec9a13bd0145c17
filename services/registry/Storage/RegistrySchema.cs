using FeatureStore.Storage.Sql;

namespace FeatureStore.Registry.Storage;

/// <summary>The registry's tables: ordered schema versions. Append new ones; never edit an applied one.</summary>
public static class RegistrySchema
{
    public static readonly SqlSchema Schema = new("registry", HistoryTable: "schema_migrations", LockKey: 7346510021, Migrations);

    private static IReadOnlyList<(int Version, string Sql)> Migrations =>
    [
        (1, """
            CREATE TABLE feature_views (
              project TEXT NOT NULL,
              name TEXT NOT NULL,
              version INTEGER NOT NULL,
              definition TEXT NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (project, name, version));
            CREATE TABLE materialization_jobs (
              id TEXT PRIMARY KEY,
              project TEXT NOT NULL,
              view TEXT NOT NULL,
              version INTEGER NOT NULL,
              window_start TIMESTAMPTZ NOT NULL,
              window_end TIMESTAMPTZ NOT NULL,
              status TEXT NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              started_at TIMESTAMPTZ,
              finished_at TIMESTAMPTZ,
              rows_read BIGINT,
              rows_written BIGINT,
              online_keys_written BIGINT,
              duration_ms DOUBLE PRECISION,
              error TEXT);
            CREATE INDEX ix_materialization_jobs_view ON materialization_jobs (project, view, created_at);
            """),
        // Every kind of object, versioned in one table; deletions are tombstone versions, so history stays.
        // (Pre-release: the single-kind feature_views table of version 1 is not carried over.)
        (2, """
            DROP TABLE feature_views;
            CREATE TABLE registry_objects (
              project TEXT NOT NULL,
              kind TEXT NOT NULL,
              name TEXT NOT NULL,
              version INTEGER NOT NULL,
              deleted INTEGER NOT NULL,
              revision BIGINT NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              definition TEXT NOT NULL,
              PRIMARY KEY (project, kind, name, version));
            CREATE TABLE registry_projects (
              project TEXT PRIMARY KEY,
              revision BIGINT NOT NULL,
              updated_at TIMESTAMPTZ NOT NULL);
            CREATE TABLE registry_outbox (
              id TEXT PRIMARY KEY,
              message_type TEXT NOT NULL,
              payload TEXT NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              sent_at TIMESTAMPTZ);
            CREATE INDEX ix_registry_outbox_pending ON registry_outbox (sent_at, created_at);
            """),
        // Partitioned jobs, one active job per view, the offline feature tables' catalog, cron fires.
        (3, """
            ALTER TABLE materialization_jobs ADD COLUMN partition_count INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE materialization_jobs ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE materialization_jobs ADD COLUMN rows_in_window BIGINT;
            ALTER TABLE materialization_jobs ADD COLUMN invalid_rows BIGINT;
            ALTER TABLE materialization_jobs ADD COLUMN rows_done BIGINT;
            ALTER TABLE materialization_jobs ADD COLUMN rows_total BIGINT;
            ALTER TABLE materialization_jobs ADD COLUMN statistics TEXT;
            CREATE UNIQUE INDEX ux_materialization_jobs_active ON materialization_jobs (project, view)
              WHERE status IN ('pending', 'running');
            CREATE TABLE materialization_partitions (
              job_id TEXT NOT NULL,
              partition_index INTEGER NOT NULL,
              status TEXT NOT NULL,
              worker TEXT,
              rows_done BIGINT,
              rows_total BIGINT,
              rows_read BIGINT,
              rows_in_window BIGINT,
              rows_written BIGINT,
              online_keys_written BIGINT,
              invalid_rows BIGINT,
              duration_ms DOUBLE PRECISION,
              error TEXT,
              statistics TEXT,
              updated_at TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (job_id, partition_index));
            CREATE TABLE offline_files (
              path TEXT PRIMARY KEY,
              project TEXT NOT NULL,
              view TEXT NOT NULL,
              version INTEGER NOT NULL,
              job_id TEXT NOT NULL,
              partition_index INTEGER NOT NULL,
              event_date TEXT NOT NULL,
              row_count BIGINT NOT NULL,
              min_event_time TIMESTAMPTZ NOT NULL,
              max_event_time TIMESTAMPTZ NOT NULL,
              content_hash TEXT NOT NULL,
              size_bytes BIGINT NOT NULL,
              window_start TIMESTAMPTZ NOT NULL,
              window_end TIMESTAMPTZ NOT NULL,
              commit_sequence BIGINT);
            CREATE INDEX ix_offline_files_table ON offline_files (project, view, version, commit_sequence);
            CREATE INDEX ix_offline_files_job ON offline_files (job_id);
            CREATE TABLE schedule_fires (
              project TEXT NOT NULL,
              view TEXT NOT NULL,
              fire_time TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (project, view, fire_time));
            """),
        // Model versions and training jobs were created here; model-api owns them now (ModelSchema, which takes over the
        // tables of a database made before).
        (4, "SELECT 1"),
        (5, """
            CREATE TABLE model_uses (
              project TEXT NOT NULL,
              model TEXT NOT NULL,
              version INTEGER NOT NULL,
              feature_service TEXT NOT NULL,
              feature_service_version INTEGER NOT NULL,
              role TEXT NOT NULL,
              trained_at TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (project, model, version, role));
            """),
        // Offline histories (ViewHistory): jobs write the history their version reads; each history's commits are recorded
        // with the window they replace (OfflineVisibility); push sources keep a log of what was pushed offline.
        (6, """
            ALTER TABLE materialization_jobs ADD COLUMN history INTEGER;
            UPDATE materialization_jobs SET history = version;
            ALTER TABLE materialization_jobs ADD COLUMN offline INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE materialization_jobs ADD COLUMN push_cut BIGINT;
            ALTER TABLE materialization_jobs ADD COLUMN offline_rows_written BIGINT;
            ALTER TABLE materialization_partitions ADD COLUMN offline_rows_written BIGINT;
            CREATE INDEX ix_materialization_jobs_history ON materialization_jobs (project, view, history, status);
            CREATE TABLE offline_commits (
              project TEXT NOT NULL,
              view TEXT NOT NULL,
              history INTEGER NOT NULL,
              sequence BIGINT NOT NULL,
              kind TEXT NOT NULL,
              id TEXT NOT NULL,
              range_start TIMESTAMPTZ NOT NULL,
              range_end TIMESTAMPTZ NOT NULL,
              committed_at TIMESTAMPTZ,
              row_count BIGINT NOT NULL,
              push_sequence BIGINT,
              push_cut BIGINT,
              PRIMARY KEY (project, view, history, sequence));
            INSERT INTO offline_commits (project, view, history, sequence, kind, id, range_start, range_end, committed_at, row_count)
            SELECT f.project, f.view, f.version, f.commit_sequence, CASE WHEN j.id IS NULL THEN 'push' ELSE 'materialization' END, f.job_id,
                   COALESCE(MIN(j.window_start), MIN(f.min_event_time)), COALESCE(MAX(j.window_end), MAX(f.max_event_time)),
                   MAX(j.finished_at),
                   SUM(f.row_count)
            FROM offline_files f LEFT JOIN materialization_jobs j ON j.id = f.job_id
            WHERE f.commit_sequence IS NOT NULL
            GROUP BY f.project, f.view, f.version, f.commit_sequence, f.job_id, j.id;
            CREATE TABLE pushed_files (
              path TEXT PRIMARY KEY,
              project TEXT NOT NULL,
              source TEXT NOT NULL,
              sequence BIGINT NOT NULL,
              push_id TEXT NOT NULL,
              event_date TEXT NOT NULL,
              row_count BIGINT NOT NULL,
              min_event_time TIMESTAMPTZ NOT NULL,
              max_event_time TIMESTAMPTZ NOT NULL,
              content_hash TEXT NOT NULL,
              size_bytes BIGINT NOT NULL,
              pushed_at TIMESTAMPTZ NOT NULL);
            CREATE INDEX ix_pushed_files_source ON pushed_files (project, source, sequence);
            CREATE INDEX ix_pushed_files_push ON pushed_files (push_id);
            """),
        // API keys: only a hash of each secret; projects and roles as JSON arrays; revoked keys stay, as history.
        (7, """
            CREATE TABLE api_keys (
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              owner TEXT NOT NULL,
              projects TEXT NOT NULL,
              roles TEXT NOT NULL,
              secret_hash TEXT NOT NULL,
              created_at TIMESTAMPTZ NOT NULL,
              expires_at TIMESTAMPTZ,
              last_used_at TIMESTAMPTZ,
              revoked_at TIMESTAMPTZ);
            """),
        // A key's own rate limit (requests per second); none: the deployment's default.
        (8, "ALTER TABLE api_keys ADD COLUMN requests_per_second INTEGER;"),
        // The audit log: append-only, each record chained to the one before by hash (AuditChain); audit_head is the chain's
        // end, one row, locked by every append so that appends from several registries make one chain.
        (9, """
            CREATE TABLE audit_log (
              sequence BIGINT PRIMARY KEY,
              at TIMESTAMPTZ NOT NULL,
              principal TEXT NOT NULL,
              principal_kind TEXT NOT NULL,
              client TEXT,
              service TEXT NOT NULL,
              action TEXT NOT NULL,
              operation TEXT NOT NULL,
              project TEXT,
              objects TEXT NOT NULL,
              features TEXT NOT NULL,
              entity_rows BIGINT,
              outcome TEXT NOT NULL,
              status INTEGER NOT NULL,
              trace_id TEXT,
              detail TEXT,
              previous_hash TEXT NOT NULL,
              hash TEXT NOT NULL);
            CREATE INDEX ix_audit_log_at ON audit_log (at);
            CREATE INDEX ix_audit_log_principal ON audit_log (principal, sequence);
            CREATE TABLE audit_head (id INTEGER PRIMARY KEY, sequence BIGINT NOT NULL, hash TEXT NOT NULL);
            INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
            """),
        // The newest event time a run computed (per partition, and the job's the greatest of them): how fresh what it wrote is.
        (10, """
            ALTER TABLE materialization_partitions ADD COLUMN newest_event_time TIMESTAMPTZ;
            ALTER TABLE materialization_jobs ADD COLUMN newest_event_time TIMESTAMPTZ;
            CREATE INDEX ix_materialization_jobs_finished ON materialization_jobs (project, status, finished_at);
            """),
        // What feature-api served, per minute, summed over its instances (each adds its counts): per request shape the requests
        // and entity rows (feature ''), per feature also its online statuses; and per endpoint the latency histogram's buckets.
        (11, """
            CREATE TABLE usage_minutes (
              minute TIMESTAMPTZ NOT NULL,
              project TEXT NOT NULL,
              endpoint TEXT NOT NULL,
              principal TEXT NOT NULL,
              model TEXT NOT NULL,
              feature_service TEXT NOT NULL,
              feature TEXT NOT NULL,
              requests BIGINT NOT NULL,
              entity_rows BIGINT NOT NULL,
              hits BIGINT NOT NULL,
              misses BIGINT NOT NULL,
              stale BIGINT NOT NULL,
              PRIMARY KEY (minute, project, endpoint, principal, model, feature_service, feature));
            CREATE INDEX ix_usage_minutes_project ON usage_minutes (project, minute);
            CREATE TABLE latency_minutes (
              minute TIMESTAMPTZ NOT NULL,
              endpoint TEXT NOT NULL,
              bucket INTEGER NOT NULL,
              count BIGINT NOT NULL,
              PRIMARY KEY (minute, endpoint, bucket));
            """),
        // The files of each feature service's log of served values (min/max_time: the logging times a file spans).
        (12, """
            CREATE TABLE feature_log_files (
              path TEXT PRIMARY KEY,
              project TEXT NOT NULL,
              service TEXT NOT NULL,
              service_version INTEGER NOT NULL,
              log_date TEXT NOT NULL,
              row_count BIGINT NOT NULL,
              min_time TIMESTAMPTZ NOT NULL,
              max_time TIMESTAMPTZ NOT NULL,
              content_hash TEXT NOT NULL,
              size_bytes BIGINT NOT NULL,
              written_at TIMESTAMPTZ NOT NULL);
            CREATE INDEX ix_feature_log_files_service ON feature_log_files (project, service, max_time);
            """),
        // Scheduled drift checks, fired once whichever registry fires first; and each model's promoted version with the dataset
        // it was trained on (from model-api's ModelPromoted), the default drift reference of the services it uses.
        (13, """
            CREATE TABLE drift_check_fires (
              project TEXT NOT NULL,
              feature_service TEXT NOT NULL,
              fire_time TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (project, feature_service, fire_time));
            CREATE TABLE promoted_models (
              model TEXT PRIMARY KEY,
              project TEXT NOT NULL,
              version INTEGER NOT NULL,
              dataset TEXT NOT NULL,
              training_feature_service TEXT NOT NULL,
              serving_feature_service TEXT NOT NULL,
              promoted_at TIMESTAMPTZ NOT NULL);
            """),
        // The feature sets of the Feature Store 2.0 calls: each declared set and its features, as JSON (a set with features is
        // also a feature view).
        (14, """
            CREATE TABLE feature_sets (
              project TEXT NOT NULL,
              name TEXT NOT NULL,
              body TEXT NOT NULL,
              updated_at TIMESTAMPTZ NOT NULL,
              PRIMARY KEY (project, name));
            """),
        // Compaction (OfflineVisibility): a commit of kind compaction records the commit it read as of; the files it rewrote are
        // superseded by it (read as of earlier commits only); each compaction is recorded with the files it rewrites.
        (15, """
            ALTER TABLE offline_commits ADD COLUMN base_sequence BIGINT;
            ALTER TABLE offline_files ADD COLUMN superseded_by BIGINT;
            CREATE TABLE offline_compactions (
              id TEXT PRIMARY KEY,
              project TEXT NOT NULL,
              view TEXT NOT NULL,
              history INTEGER NOT NULL,
              base_sequence BIGINT NOT NULL,
              trigger_kind TEXT NOT NULL,
              inputs TEXT NOT NULL,
              rows_in BIGINT NOT NULL,
              status TEXT NOT NULL,
              requested_at TIMESTAMPTZ NOT NULL,
              finished_at TIMESTAMPTZ,
              commit_sequence BIGINT,
              files_out INTEGER,
              error TEXT);
            CREATE INDEX ix_offline_compactions_view ON offline_compactions (project, view, requested_at);
            """),
        // Whether a file's write may hold two rows with the same keys and event time (OfflineVisibility.EventTiesPossible); null
        // for files written before writers checked, which count as possibly tied.
        (16, "ALTER TABLE offline_files ADD COLUMN event_ties BOOLEAN"),
    ];
}
