using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/historical-features</c>: point-in-time-correct feature values for every row of an entity
/// dataframe (docs/semantics.md, point-in-time join). The dataframe comes as JSON rows
/// (<see cref="HistoricalFeaturesRequestDto"/>) or as a CSV / Parquet body with the options in the query string;
/// the answer is JSON rows, CSV or Parquet as <c>Accept</c> asks, streamed from a file.
/// </summary>
public sealed class GetHistoricalFeatures(HistoricalRetrieval retrieval, ServingMetrics metrics) : EndpointWithoutRequest
{
    public const string ParquetMediaType = "application/vnd.apache.parquet";
    /// <summary>The response header listing, per view, the event times its history did not cover (answers allowed gaps).</summary>
    public const string GapsHeader = "FeatureStore-Gaps";
    private static readonly string[] ParquetMediaTypes = [ParquetMediaType, "application/parquet", "application/x-parquet"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public override void Configure()
    {
        Post("historical-features");
        AllowAnonymous();
        // No Accepts metadata: routing would then refuse other content types with a bare 415; the handler's own 415 names the field.
        Description(d => d.Produces(200, typeof(void), "application/json", "text/csv", ParquetMediaType)
            .Produces<ProblemDocument>(400, "application/problem+json").Produces<ProblemDocument>(406, "application/problem+json"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        using var timer = metrics.Time("historical-features");
        var format = ResultFormatOf(HttpContext.Request.Headers.Accept.ToString());
        var work = retrieval.NewWorkDirectory();
        try
        {
            if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = retrieval.MaxUploadBytes;
            var request = await ReadRequestAsync(work, ct);
            var result = await retrieval.RunAsync(request, format, ct);
            if (result.Dataset is { } dataset)
                HttpContext.Response.Headers.Location = $"/{ApiDefaults.RoutePrefix}/datasets/{dataset.Name}?project={dataset.Project}";
            HttpContext.Response.Headers["FeatureStore-Rows"] = result.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (result.Gaps.Count > 0) HttpContext.Response.Headers[GapsHeader] = CoverageCheck.Header(result.Gaps);
            HttpContext.Response.ContentType = format switch
            {
                ResultFormat.Parquet => ParquetMediaType,
                ResultFormat.Csv => "text/csv; charset=utf-8",
                _ => "application/json; charset=utf-8",
            };
            if (format == ResultFormat.Json && request.AllowGaps) await SendWithGapsAsync(result, ct);
            else await HttpContext.Response.SendFileAsync(result.File, ct);
        }
        catch (DuckDBException e)
        {
            // The join itself failed on the data (an on-demand expression, a type that will not cast): say so, change nothing.
            throw new FieldErrorsException(422, [new FieldError("features", $"the retrieval could not be computed: {e.Message.Split('\n', 2)[0]}")]);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>A JSON answer that was allowed gaps: <c>{"gaps": [...], "rows": [...]}</c>, the rows streamed from the file.</summary>
    private async Task SendWithGapsAsync(HistoricalResult result, CancellationToken ct)
    {
        var gaps = result.Gaps.Select(g => new HistoricalGapDto(g.View.Name, g.View.Version, g.History, g.Covered, g.Gaps)).ToList();
        var body = HttpContext.Response.Body;
        await body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"gaps\":{JsonSerializer.Serialize(gaps, Json)},\"rows\":"), ct);
        await using (var rows = File.OpenRead(result.File)) await rows.CopyToAsync(body, ct);
        await body.WriteAsync("}"u8.ToArray(), ct);
    }

    private ResultFormat ResultFormatOf(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return ResultFormat.Json;
        foreach (var part in accept.Split(','))
        {
            var media = part.Split(';')[0].Trim().ToLowerInvariant();
            if (ParquetMediaTypes.Contains(media)) return ResultFormat.Parquet;
            if (media == "text/csv") return ResultFormat.Csv;
            if (media is "application/json" or "application/*" or "*/*") return ResultFormat.Json;
        }
        throw new FieldErrorsException(406, [new FieldError("Accept", $"must ask for application/json, text/csv or {ParquetMediaType}")]);
    }

    private async Task<HistoricalRequest> ReadRequestAsync(string work, CancellationToken ct)
    {
        var contentType = (HttpContext.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        HistoricalFeaturesRequestDto dto;
        string file;
        EntityFrameFormat format;
        if (contentType is "application/json" or "")
        {
            try
            {
                dto = await JsonSerializer.DeserializeAsync<HistoricalFeaturesRequestDto>(HttpContext.Request.Body, Json, ct)
                      ?? throw FieldErrors.Invalid("serializerErrors", "the body is empty");
            }
            catch (JsonException e)
            {
                throw FieldErrors.Invalid(e.Path is { Length: > 2 } path ? path[2..] : "serializerErrors", $"is not valid here: {e.Message.Split(" Path:")[0]}");
            }
            if (dto.Entities is not { Count: > 0 }) throw FieldErrors.Invalid("entities", "must hold at least one entity row, such as {\"customer_id\": 1, \"event_timestamp\": \"2024-06-01T00:00:00Z\"}");
            file = Path.Combine(work, "entities.jsonl");
            await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
                foreach (var row in dto.Entities)
                    await writer.WriteLineAsync(JsonSerializer.Serialize(row));
            format = EntityFrameFormat.JsonLines;
        }
        else if (contentType == "text/csv" || ParquetMediaTypes.Contains(contentType))
        {
            dto = FromQuery();
            format = contentType == "text/csv" ? EntityFrameFormat.Csv : EntityFrameFormat.Parquet;
            file = Path.Combine(work, format == EntityFrameFormat.Csv ? "entities.csv" : "entities.parquet");
            await using (var target = File.Create(file)) await HttpContext.Request.Body.CopyToAsync(target, ct);
            if (new FileInfo(file).Length == 0) throw FieldErrors.Invalid("entities", "the body holds no entity dataframe");
        }
        else throw new FieldErrorsException(415, [new FieldError("Content-Type", $"must be application/json, text/csv or {ParquetMediaType}")]);

        Validate(dto);
        return new HistoricalRequest(Names.ProjectOrDefault(dto.Project), dto.Features, dto.FeatureService, dto.FullFeatureNames,
            dto.TimestampField ?? FeatureNames.EventTimestamp, dto.SaveAs, file, format, work, dto.AllowGaps);
    }

    private HistoricalFeaturesRequestDto FromQuery()
    {
        var query = HttpContext.Request.Query;
        var errors = new List<FieldError>();
        bool Flag(string name)
        {
            var value = false;
            if (query.TryGetValue(name, out var text) && !bool.TryParse(text.ToString(), out value)) errors.Add(new FieldError(name, "must be true or false"));
            return value;
        }
        var (fullNames, allowGaps) = (Flag("fullFeatureNames"), Flag("allowGaps"));
        foreach (var unknown in query.Keys.Except(["project", "features", "featureService", "fullFeatureNames", "timestampField", "saveAs", "allowGaps"],
                     StringComparer.OrdinalIgnoreCase))
            errors.Add(new FieldError(unknown, "is not an option of historical retrieval"));
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        string? One(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;
        return new HistoricalFeaturesRequestDto
        {
            Project = One("project"), FeatureService = One("featureService"), TimestampField = One("timestampField"), SaveAs = One("saveAs"),
            FullFeatureNames = fullNames, AllowGaps = allowGaps,
            Features = query.TryGetValue("features", out var features) ? features.SelectMany(f => f!.Split(',')).Select(f => f.Trim()).ToList() : null,
        };
    }

    private static void Validate(HistoricalFeaturesRequestDto dto)
    {
        var result = Validator.Validate(dto);
        if (!result.IsValid) throw FieldErrors.Invalid(result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
    }

    private static readonly HistoricalFeaturesRequestValidator Validator = new();
}

/// <summary>
/// The checks that need no definitions, run by the endpoint itself (it reads JSON, CSV or Parquet bodies, so
/// FastEndpoints does not bind it); the same shared rules as the online requests.
/// </summary>
public sealed class HistoricalFeaturesRequestValidator : AbstractValidator<HistoricalFeaturesRequestDto>
{
    public HistoricalFeaturesRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().OverridePropertyName("project").When(r => r.Project is not null);
        this.AddFeatureChoiceRules(r => r.Features, r => r.FeatureService, SelectionFields.Api);
        RuleFor(r => r.TimestampField).NotEmpty().OverridePropertyName("timestampField").WithMessage("must name a column")
            .When(r => r.TimestampField is not null);
        RuleFor(r => r.SaveAs).MustBeName().OverridePropertyName("saveAs").When(r => r.SaveAs is not null);
    }
}
