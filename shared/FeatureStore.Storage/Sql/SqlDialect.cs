using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeatureStore.Storage.Sql;

/// <summary>
/// The little that differs between PostgreSQL and SQLite; every query is shared. Schema scripts use
/// type names both accept (SQLite maps TIMESTAMPTZ and DOUBLE PRECISION to its own affinities).
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>Statement that serialises one schema's migrations across processes (parameter <c>@key</c>), run inside the migration
    /// transaction.</summary>
    public abstract string? MigrationLock { get; }

    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Statement that serialises commits to one project (parameter <c>@project</c>), run first in the transaction.</summary>
    public abstract string? ProjectLock { get; }

    /// <summary>What makes a SELECT lock the rows it reads until the transaction ends (SQLite's write transaction already does).</summary>
    public abstract string ForUpdate { get; }

    public static readonly SqlDialect PostgreSql = new PostgreSqlDialect();
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    private sealed class PostgreSqlDialect : SqlDialect
    {
        public override string Name => "postgresql";
        public override string MigrationLock => "SELECT pg_advisory_xact_lock(@key)";
        public override string ProjectLock => "SELECT pg_advisory_xact_lock(hashtext(@project))";
        public override string ForUpdate => " FOR UPDATE";
        public override bool IsUniqueViolation(Exception exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    }

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Name => "sqlite";
        public override string? MigrationLock => null; // BEGIN IMMEDIATE already takes the write lock
        public override string? ProjectLock => null;
        public override string ForUpdate => "";
        public override bool IsUniqueViolation(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT
    }
}
