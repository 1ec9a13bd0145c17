using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class ListDatasetsRequest : IProjectScoped, IFeatureReading
{
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/datasets</c>: the project's saved datasets the caller may read, by name.</summary>
[Access(FeatureAction.ReadOffline)]
public sealed class ListDatasets(ReadableDatasets datasets) : Endpoint<ListDatasetsRequest, IReadOnlyList<SavedDatasetDto>>
{
    public override void Configure() => Get("datasets");

    public override async Task HandleAsync(ListDatasetsRequest request, CancellationToken ct) =>
        await Send.OkAsync(await datasets.ListAsync(Names.ProjectOrDefault(request.Project), HttpContext.PrincipalOf(), ct), ct);
}

public sealed class ListDatasetsRequestValidator : Validator<ListDatasetsRequest>
{
    public ListDatasetsRequestValidator() => RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
}
