using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class DatasetRequest : IProjectScoped, IFeatureReading
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/datasets/{name}</c>: how a saved training set was made (features at their versions, service, entity hash) and
/// where its data is. A dataset holds its features' values, so it is refused (403 naming them) to a caller who may not read
/// every one of them offline, as a historical retrieval of them would be.</summary>
[Access(FeatureAction.ReadOffline)]
public sealed class GetDataset(SavedDatasets datasets, FeatureSelector selector)
    : FindOneEndpoint<DatasetRequest, SavedDataset>("datasets/{name}")
{
    protected override async Task<SavedDataset?> FindAsync(DatasetRequest request, CancellationToken ct)
    {
        var dataset = await datasets.FindAsync(Names.ProjectOrDefault(request.Project), request.Name, ct);
        if (dataset is null || HttpContext.PrincipalOf() is not { } reader) return dataset;
        var selection = await selector.SelectAsync(dataset.Project, dataset.Features, null, dataset.FullFeatureNames,
            SelectionFields.Api, ct);
        await selector.DemandAsync(dataset.Project, selection, reader, FeatureAction.ReadOffline, ct);
        return dataset;
    }

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
