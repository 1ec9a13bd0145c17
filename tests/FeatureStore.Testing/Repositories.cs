using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>A feature view for a test repository: read from its own batch source <c>{Name}_source</c>.</summary>
public sealed record TestView(string Name, string SourceKey, string Ttl, params (string Name, string Type)[] Features)
{
    public string? CreatedField { get; init; } = "created";
}

/// <summary>Repository definitions for tests, applied through <c>POST /api/v1/apply</c> like a user's file.</summary>
public static class Repositories
{
    /// <summary>The <c>customer</c> entity (join key <c>customer_id</c>, int64) and the given views with their sources.</summary>
    public static RepositoryDto Customers(string project, params TestView[] views) => new()
    {
        Project = project,
        Entities = [new EntityDto { Name = "customer", JoinKeys = [new FieldDto { Name = "customer_id", Type = "int64" }] }],
        Sources = views.Select(v => (DataSourceDto?)new DataSourceDto
        {
            Name = $"{v.Name}_source", Path = v.SourceKey, TimestampField = "event_timestamp", CreatedTimestampField = v.CreatedField,
        }).ToList(),
        FeatureViews = views.Select(v => (FeatureViewDto?)new FeatureViewDto
        {
            Name = v.Name, Entities = ["customer"], Source = $"{v.Name}_source", Ttl = v.Ttl,
            Schema = v.Features.Select(f => (FeatureFieldDto?)new FeatureFieldDto { Name = f.Name, Type = f.Type }).ToList(),
        }).ToList(),
    };

    public static async Task<ApplyResultDto> ApplyAsync(HttpClient registry, RepositoryDto repository, string query = "")
    {
        using var response = await registry.PostAsync($"api/v1/apply{query}",
            JsonContent.Create(repository, options: DefinitionJson.Options));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"apply answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<ApplyResultDto>(body, DefinitionJson.Options)!;
    }

    /// <summary>The version an apply gave (or left) an object.</summary>
    public static int VersionOf(this ApplyResultDto result, ObjectKind kind, string name) =>
        result.Changes.Single(c => c.Kind == kind.ToName() && c.Name == name).ToVersion
        ?? throw new InvalidOperationException($"{kind.ToName()} '{name}' has no version in the plan");
}
