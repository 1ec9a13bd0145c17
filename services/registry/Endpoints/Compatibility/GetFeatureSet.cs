using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Compatibility;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Compatibility;

public sealed class FeatureSetRequest : IProjectScoped
{
    public string Id { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/feature-sets/{id}</c> (Feature Store 2.0): a set, its features and the version of its feature view.</summary>
[Access(FeatureAction.Describe)]
public sealed class GetFeatureSet(FeatureSets sets) : FindOneEndpoint<FeatureSetRequest, FeatureSetDto>("feature-sets/{id}")
{
    protected override Task<FeatureSetDto?> FindAsync(FeatureSetRequest request, CancellationToken ct) =>
        sets.FindAsync(Names.ProjectOrDefault(request.Project), request.Id, ct);

    protected override FieldError Missing(FeatureSetRequest request) =>
        new("id", $"feature set '{request.Id}' does not exist in project '{Names.ProjectOrDefault(request.Project)}'");
}

public sealed class FeatureSetRequestValidator : Validator<FeatureSetRequest>
{
    public FeatureSetRequestValidator()
    {
        RuleFor(r => r.Id).MustBeName().OverridePropertyName("id");
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }
}
