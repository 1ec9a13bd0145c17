using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class DatasetRequest : IProjectScoped, IFeatureReading
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/datasets/{name}</c>: how a saved training set was made (features at their versions, service, entity hash) and
/// where its data is; refused (403 naming them) to a caller who may not read every one of its features offline
/// (<see cref="ReadableDatasets"/>).</summary>
[Access(FeatureAction.ReadOffline)]
public sealed class GetDataset(ReadableDatasets datasets) : FindOneEndpoint<DatasetRequest, SavedDatasetDto>("datasets/{name}")
{
    protected override Task<SavedDatasetDto?> FindAsync(DatasetRequest request, CancellationToken ct) =>
        datasets.FindAsync(Names.ProjectOrDefault(request.Project), request.Name, HttpContext.PrincipalOf(), ct);

    protected override FieldError Missing(DatasetRequest request) => DatasetRequestValidator.Missing(request);
}

public sealed class DatasetRequestValidator : Validator<DatasetRequest>
{
    public DatasetRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }

    public static FieldError Missing(DatasetRequest request) =>
        new("name", $"dataset '{request.Name}' does not exist in project '{Names.ProjectOrDefault(request.Project)}'");
}
