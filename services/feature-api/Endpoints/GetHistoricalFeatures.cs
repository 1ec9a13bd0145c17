using System.Text;
using System.Text.Json;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using Microsoft.AspNetCore.Http.Features;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/historical-features</c>: point-in-time-correct feature values for every row of an entity
/// dataframe (docs/semantics.md, point-in-time join). The dataframe comes as JSON rows
/// (<see cref="HistoricalFeaturesRequestDto"/>) or as a CSV / Parquet body with the options in the query string
/// (<see cref="HistoricalRequestReader"/> decodes both); the answer is JSON rows, CSV or Parquet as <c>Accept</c> asks,
/// streamed from a file.
/// </summary>
[Access(FeatureAction.ReadOffline)]
public sealed class GetHistoricalFeatures(HistoricalRetrieval retrieval, ServingMetrics metrics) : EndpointWithoutRequest
{
    /// <summary>The response header listing, per view, the event times its history did not cover (answers allowed gaps).</summary>
    public const string GapsHeader = "FeatureStore-Gaps";

    public override void Configure()
    {
        Post("historical-features");
        Options(route => route.WithMetadata(BodyLimit.SetByEndpoint, new QueryParameters(HistoricalRequestReader.QueryOptions))
            .WithRequestTimeout(TimeoutPolicies.Long));
        // No Accepts metadata: routing would then refuse other content types with a bare 415; the handler's own 415 names the field.
        Description(d => d.Produces(200, typeof(void), "application/json", "text/csv", HistoricalRequestReader.ParquetMediaType)
            .Produces<ProblemDocument>(400, "application/problem+json").Produces<ProblemDocument>(406, "application/problem+json"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        using var timer = metrics.Time("historical-features");
        var format = HistoricalRequestReader.ResultFormatOf(HttpContext.Request.Headers.Accept.ToString());
        await HistoricalRequestReader.InWorkDirectoryAsync(retrieval, async work =>
        {
            if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = retrieval.MaxUploadBytes;
            var request = await HistoricalRequestReader.ReadAsync(HttpContext.Request, work,
                project => AccessCheck.DemandAsync(HttpContext, FeatureAction.ReadOffline, project, IFeatureReading.Marker, ct), ct);
            var result = await retrieval.RunAsync(request, format, ReadCaller.Of(HttpContext, "historical-features"), ct);
            if (result.Dataset is { } dataset)
                HttpContext.Response.Headers.Location = $"/{ApiDefaults.RoutePrefix}/datasets/{dataset.Name}?project={dataset.Project}";
            HttpContext.Response.Headers["FeatureStore-Rows"] = result.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (result.Gaps.Count > 0) HttpContext.Response.Headers[GapsHeader] = CoverageCheck.Header(result.Gaps);
            HttpContext.Response.ContentType = format switch
            {
                ResultFormat.Parquet => HistoricalRequestReader.ParquetMediaType,
                ResultFormat.Csv => "text/csv; charset=utf-8",
                _ => "application/json; charset=utf-8",
            };
            if (format == ResultFormat.Json && request.AllowGaps) await SendWithGapsAsync(result, ct);
            else await HttpContext.Response.SendFileAsync(result.File, ct);
        });
    }

    /// <summary>A JSON answer that was allowed gaps: <c>{"gaps": [...], "rows": [...]}</c>, the rows streamed from the file.</summary>
    private async Task SendWithGapsAsync(HistoricalResult result, CancellationToken ct)
    {
        var gaps = result.Gaps.Select(g => new HistoricalGapDto(g.View.Name, g.View.Version, g.History, g.Covered, g.Gaps)).ToList();
        var body = HttpContext.Response.Body;
        await body.WriteAsync(
            Encoding.UTF8.GetBytes($"{{\"gaps\":{JsonSerializer.Serialize(gaps, JsonSerializerOptions.Web)},\"rows\":"), ct);
        await using (var rows = File.OpenRead(result.File)) await rows.CopyToAsync(body, ct);
        await body.WriteAsync("}"u8.ToArray(), ct);
    }
}
