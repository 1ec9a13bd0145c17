using System.Diagnostics;
using System.Text.Json;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/serving/historical</c> (Feature Store 2.0): the point-in-time retrieval of <see cref="GetHistoricalFeatures"/>
/// for an entity dataframe sent as <c>entity_df: {columns, data}</c>, answered in the same shape (the entity columns, then the
/// features) with <c>metadata.rows</c> and <c>metadata.latency_ms</c>.
/// </summary>
[Access(FeatureAction.ReadOffline)]
public sealed class ServeHistorical(HistoricalRetrieval retrieval, ServingMetrics metrics) : Endpoint<ServingHistoricalRequestDto>
{
    /// <summary>The historical request's fields as this body names them.</summary>
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["entities"] = "entity_df.data", ["featureService"] = "feature_service", ["timestampField"] = "timestamp_column",
    };

    public override void Configure()
    {
        Post("serving/historical");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Long));
        Description(d => d.Produces(200, typeof(void), "application/json").Produces<ProblemDocument>(400, "application/problem+json"));
    }

    public override async Task HandleAsync(ServingHistoricalRequestDto request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = metrics.Time("serving/historical");
        var frame = request.EntityDf!;
        await HistoricalRequestReader.InWorkDirectoryAsync(retrieval, async work =>
        {
            HistoricalRequest historical;
            try
            {
                historical = await HistoricalRequestReader.FromRowsAsync(new HistoricalFeaturesRequestDto
                {
                    Project = request.Project, Features = request.Features, FeatureService = request.FeatureService,
                    TimestampField = request.TimestampColumn,
                    Entities = frame.Data!.Select(row => frame.Columns!.Zip(row).ToDictionary(c => c.First, c => c.Second)).ToList(),
                }, work);
            }
            catch (InvalidRequestException refused)
            {
                throw FieldErrors.Invalid(refused.Errors.Select(e => e with { Field = Fields.GetValueOrDefault(e.Field, e.Field) }));
            }
            var result = await retrieval.RunAsync(historical, ResultFormat.Json, ReadCaller.Of(HttpContext, "serving/historical"), ct);
            await SendFrameAsync(result, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ct);
        });
    }

    /// <summary>Output written but not yet sent past which the answer is flushed, so it never sits whole in memory.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>
    /// The retrieval's rows (a JSON array of objects, columns in order) as <c>{columns, data, metadata}</c>, streamed: the file is
    /// read one row at a time and the answer flushed as it grows. The columns are the first row's.
    /// </summary>
    private async Task SendFrameAsync(HistoricalResult result, double latencyMs, CancellationToken ct)
    {
        await using var file = File.OpenRead(result.File);
        await using var rows = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(file, cancellationToken: ct).GetAsyncEnumerator(ct);
        var any = await rows.MoveNextAsync();
        List<string> columns = any && rows.Current is { ValueKind: JsonValueKind.Object } first
            ? first.EnumerateObject().Select(p => p.Name).ToList() : [];
        HttpContext.Response.StatusCode = 200;
        HttpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(HttpContext.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in columns) writer.WriteStringValue(column);
        writer.WriteEndArray();
        writer.WriteStartArray("data");
        for (; any; any = await rows.MoveNextAsync())
        {
            writer.WriteStartArray();
            foreach (var column in columns)
                if (rows.Current.TryGetProperty(column, out var value)) value.WriteTo(writer);
                else writer.WriteNullValue();
            writer.WriteEndArray();
            if (writer.BytesPending >= FlushBytes) await writer.FlushAsync(ct);
        }
        writer.WriteEndArray();
        writer.WriteStartObject("metadata");
        writer.WriteNumber("rows", result.Rows);
        writer.WriteNumber("latency_ms", Math.Round(latencyMs, 3));
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
    }
}

public sealed class ServeHistoricalValidator : Validator<ServingHistoricalRequestDto>
{
    public ServeHistoricalValidator()
    {
        RuleFor(r => r.EntityDf).NotNull().OverridePropertyName("entity_df")
            .WithMessage("is required: {\"columns\": [\"customer_id\", \"event_timestamp\"], " +
                "\"data\": [[1001, \"2024-01-15T00:00:00Z\"]]}");
        RuleFor(r => r.EntityDf!.Columns).NotEmpty().OverridePropertyName("entity_df.columns").WithMessage("must name the columns")
            .When(r => r.EntityDf is not null);
        RuleFor(r => r.EntityDf!.Columns).Must(c => c!.Distinct().Count() == c!.Count).OverridePropertyName("entity_df.columns")
            .WithMessage("must name each column once").When(r => r.EntityDf?.Columns is { Count: > 0 });
        RuleFor(r => r.EntityDf!.Data).NotEmpty().OverridePropertyName("entity_df.data").WithMessage("must hold at least one row")
            .When(r => r.EntityDf is not null);
        RuleForEach(r => r.EntityDf!.Data).Must((r, row) => row?.Count == r.EntityDf!.Columns!.Count)
            .OverridePropertyName("entity_df.data").WithMessage("every row must hold one value per column")
            .When(r => r.EntityDf is { Columns.Count: > 0, Data.Count: > 0 });
    }
}
