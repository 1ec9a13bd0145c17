using System.Data.Common;
using System.Text.Json;
using FeatureStore.Domain.Security;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>API keys (their hashes, never their secrets).</summary>
public sealed partial class SqlRegistryStore
{
    private const string KeyColumns =
        "id, name, owner, projects, roles, secret_hash, created_at, expires_at, last_used_at, revoked_at, requests_per_second";

    public async Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"""
            INSERT INTO api_keys ({KeyColumns})
            VALUES (@id, @name, @owner, @projects, @roles, @hash, @created, @expires, NULL, NULL, @rps)
            """, cancellationToken, ("id", key.Id), ("name", key.Name), ("owner", key.Owner),
            ("projects", JsonSerializer.Serialize(key.Projects)), ("roles", JsonSerializer.Serialize(key.Roles)),
            ("hash", key.SecretHash), ("created", key.CreatedAt.ToUniversalTime()), ("expires", key.ExpiresAt?.ToUniversalTime()),
            ("rps", key.RequestsPerSecond));
    }

    public async Task<ApiKey?> FindKeyAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {KeyColumns} FROM api_keys WHERE id = @id", ReadKey, cancellationToken,
            ("id", id))).FirstOrDefault();
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {KeyColumns} FROM api_keys ORDER BY created_at DESC, id", ReadKey,
            cancellationToken);
    }

    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
            cancellationToken, ("id", id), ("at", at.ToUniversalTime())) > 0;
    }

    public async Task TouchKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            "UPDATE api_keys SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)",
            cancellationToken, ("id", id), ("at", at.ToUniversalTime()));
    }

    private static ApiKey ReadKey(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2),
        JsonSerializer.Deserialize<List<string>>(r.GetString(3))!, JsonSerializer.Deserialize<List<string>>(r.GetString(4))!,
        r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), Optional(r, 7), Optional(r, 8), Optional(r, 9),
        r.IsDBNull(10) ? null : Convert.ToInt32(r.GetValue(10), System.Globalization.CultureInfo.InvariantCulture));

    private static DateTimeOffset? Optional(DbDataReader r, int column) =>
        r.IsDBNull(column) ? null : r.GetFieldValue<DateTimeOffset>(column);
}
