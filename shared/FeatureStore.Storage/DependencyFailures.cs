using System.Net.Sockets;
using FeatureStore.Api;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace FeatureStore.Storage;

// What each backing server looks like when it is down (or too busy to answer), for the 503 a request then gets.
// Only outages count: a constraint violation or a syntax error is a bug, and stays a 500.

internal sealed class RedisFailure : IDependencyFailure
{
    public FieldError? Recognise(Exception exception) => exception is RedisConnectionException or RedisTimeoutException
        ? new FieldError("onlineStore", "Redis, the online store, is unavailable; try again shortly")
        : null;
}

internal sealed class PostgresFailure : IDependencyFailure
{
    public FieldError? Recognise(Exception exception) => exception is NpgsqlException { IsTransient: true }
        ? new FieldError("database", "PostgreSQL is unavailable; try again shortly")
        : null;
}

internal sealed class SqliteBusyFailure : IDependencyFailure
{
    private const int Busy = 5, Locked = 6;

    public FieldError? Recognise(Exception exception) => exception is SqliteException { SqliteErrorCode: Busy or Locked }
        ? new FieldError("database", "the embedded database is busy; try again shortly")
        : null;
}

internal sealed class ObjectStoreFailure : IDependencyFailure
{
    public FieldError? Recognise(Exception exception) =>
        exception is Objects.ObjectStoreUnavailableException or Minio.Exceptions.ConnectionException
        || exception is Minio.Exceptions.MinioException { InnerException: HttpRequestException or SocketException }
            ? new FieldError("objectStore", "the object store (S3) is unavailable; try again shortly")
            : null;
}
