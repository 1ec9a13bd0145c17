using System.Net.Sockets;
using FeatureStore.Api;
using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace FeatureStore.Storage;

// What each backing server looks like when it is down (or too busy to answer), for the 503 a request then gets.
// Only outages count: a constraint violation or a syntax error is a bug, and stays a 500.

/// <summary>
/// Redis cannot answer now: no connection, no answer in time, or a cluster between masters (a slot's master failed and
/// no replica has taken over yet: CLUSTERDOWN, TRYAGAIN; a replica still loading its data: LOADING, MASTERDOWN).
/// </summary>
public sealed class RedisFailure : IDependencyFailure
{
    private static readonly string[] TransientServerErrors = ["CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN"];

    public FieldError? Recognise(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => Unavailable,
        RedisServerException server when TransientServerErrors.Any(e => server.Message.StartsWith(e, StringComparison.Ordinal)) =>
            Unavailable,
        _ => null,
    };

    private static readonly FieldError Unavailable = new("onlineStore", "Redis, the online store, is unavailable; try again shortly");
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
