using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class DatasetRequest : IProjectScoped
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/datasets/{name}</c>: how a saved training set was made (features at their versions, service, entity hash) and
/// where its data is.</summary>
[Access(FeatureAction.ReadOffline)]
public sealed class GetDataset(SavedDatasets datasets) : FindOneEndpoint<DatasetRequest, SavedDataset>("datasets/{name}")
{
    protected override Task<SavedDataset?> FindAsync(DatasetRequest request, CancellationToken ct) =>
        datasets.FindAsync(Names.ProjectOrDefault(request.Project), request.Name, ct);

    protected override FieldError Missing(DatasetRequest request) =>
        new("name", $"dataset '{request.Name}' does not exist in project '{Names.ProjectOrDefault(request.Project)}'");
}

public sealed class DatasetRequestValidator : Validator<DatasetRequest>
{
    public DatasetRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }
}
