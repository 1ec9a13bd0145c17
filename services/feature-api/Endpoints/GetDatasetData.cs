using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.Storage.Objects;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary><c>GET /api/v1/datasets/{name}/data</c>: a saved dataset's rows, the Parquet file as it was saved; refused like the
/// dataset itself (<see cref="ReadableDatasets"/>).</summary>
[Access(FeatureAction.ReadOffline)]
public sealed class GetDatasetData(ReadableDatasets datasets, IObjectStore objects) : Endpoint<DatasetRequest>
{
    public override void Configure()
    {
        Get("datasets/{name}/data");
        Description(d => d.Produces(200, typeof(void), HistoricalRequestReader.ParquetMediaType)
            .Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(DatasetRequest request, CancellationToken ct)
    {
        var dataset = await datasets.FindAsync(Names.ProjectOrDefault(request.Project), request.Name, HttpContext.PrincipalOf(), ct)
                      ?? throw new NotFoundException([DatasetRequestValidator.Missing(request)]);
        await using var data = await objects.OpenReadAsync(dataset.DataPath, ct);
        await Send.StreamAsync(data, $"{dataset.Name}.parquet", data.Length, HistoricalRequestReader.ParquetMediaType, cancellation: ct);
    }
}
