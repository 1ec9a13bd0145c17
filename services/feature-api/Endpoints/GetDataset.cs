using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Historical;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class DatasetRequest
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/datasets/{name}</c>: how a saved training set was made (features at their versions, service, entity hash) and where its data is.</summary>
public sealed class GetDataset(SavedDatasets datasets) : Endpoint<DatasetRequest, SavedDataset>
{
    public override void Configure()
    {
        Get("datasets/{name}");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(DatasetRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var dataset = await datasets.FindAsync(project, request.Name, ct);
        if (dataset is null) ThrowError(r => r.Name, $"dataset '{request.Name}' does not exist in project '{project}'", 404);
        await Send.OkAsync(dataset, ct);
    }
}

public sealed class DatasetRequestValidator : Validator<DatasetRequest>
{
    public DatasetRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }
}
