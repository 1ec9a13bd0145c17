using System.Text.Json;
using FeatureStore.Contracts;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Feature sets, each one row holding its JSON.</summary>
public sealed partial class SqlRegistryStore
{
    public async Task<FeatureSetDto?> FindFeatureSetAsync(string project, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await QueryAsync(connection, null, "SELECT body FROM feature_sets WHERE project = @project AND name = @name",
            r => JsonSerializer.Deserialize<FeatureSetDto>(r.GetString(0), JsonSerializerOptions.Web)!, cancellationToken,
            ("project", project), ("name", name));
        return found.FirstOrDefault();
    }

    public async Task<bool> AddFeatureSetAsync(FeatureSetDto set, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, """
            INSERT INTO feature_sets (project, name, body, updated_at) VALUES (@project, @name, @body, @at)
            ON CONFLICT (project, name) DO NOTHING
            """, cancellationToken, ("project", set.Project), ("name", set.Name),
            ("body", JsonSerializer.Serialize(set, JsonSerializerOptions.Web)), ("at", set.UpdatedAt.ToUniversalTime())) == 1;
    }

    public async Task<bool> ReplaceFeatureSetAsync(FeatureSetDto set, FeatureSetDto previous, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, """
            UPDATE feature_sets SET body = @body, updated_at = @at WHERE project = @project AND name = @name AND body = @previous
            """, cancellationToken, ("project", set.Project), ("name", set.Name),
            ("body", JsonSerializer.Serialize(set, JsonSerializerOptions.Web)), ("at", set.UpdatedAt.ToUniversalTime()),
            ("previous", JsonSerializer.Serialize(previous, JsonSerializerOptions.Web))) == 1;
    }
}
