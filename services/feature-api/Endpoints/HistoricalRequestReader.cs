using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// Decodes a <c>POST /api/v1/historical-features</c> request for <see cref="GetHistoricalFeatures"/>: the entity dataframe as
/// JSON rows (<see cref="HistoricalFeaturesRequestDto"/>) or as a CSV / Parquet body with the options in the query string,
/// written to a file in the request's work directory, and the answer's format from <c>Accept</c>. Every refusal names
/// its field: a 400, a 406 for an answer it cannot give, a 415 for a body it cannot read.
/// </summary>
public static class HistoricalRequestReader
{
    public const string ParquetMediaType = "application/vnd.apache.parquet";
    private static readonly string[] ParquetMediaTypes = [ParquetMediaType, "application/parquet", "application/x-parquet"];

    public static readonly string[] QueryOptions = ["project", "features", "featureService", "fullFeatureNames",
        "timestampField", "saveAs", "allowGaps"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly HistoricalFeaturesRequestValidator Validator = new();

    /// <summary>Runs <paramref name="work"/> in a new work directory of <paramref name="retrieval"/>, deleted after. A join that
    /// fails on the data itself (an on-demand expression, a type that will not cast) is a 422 naming <c>features</c>; nothing
    /// changed.</summary>
    public static async Task InWorkDirectoryAsync(HistoricalRetrieval retrieval, Func<string, Task> work)
    {
        var directory = retrieval.NewWorkDirectory();
        try { await work(directory); }
        catch (DuckDBException e)
        {
            throw new FieldErrorsException(422,
                [new FieldError("features", $"the retrieval could not be computed: {e.Message.Split('\n', 2)[0]}")]);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The answer's format, the first of <c>Accept</c>'s media types that one exists for (JSON when it asks for none).</summary>
    public static ResultFormat ResultFormatOf(string accept)
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

    /// <summary>The request, its entity dataframe written to a file in <paramref name="work"/>.</summary>
    /// <param name="authorize">Called with the project as soon as it is known, before the rest of the request is checked or
    /// its body stored: throws when the caller may not read there.</param>
    public static async Task<HistoricalRequest> ReadAsync(HttpRequest http, string work, Func<string, Task> authorize, CancellationToken ct)
    {
        var contentType = (http.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (contentType is "application/json" or "") return await FromRowsAsync(await ReadJsonAsync(http.Body, authorize, ct), work);
        if (contentType != "text/csv" && !ParquetMediaTypes.Contains(contentType))
            throw new FieldErrorsException(415,
                [new FieldError("Content-Type", $"must be application/json, text/csv or {ParquetMediaType}")]);
        var dto = FromQuery(http.Query);
        await authorize(Names.ProjectOrDefault(dto.Project));
        var format = contentType == "text/csv" ? EntityFrameFormat.Csv : EntityFrameFormat.Parquet;
        var file = Path.Combine(work, format == EntityFrameFormat.Csv ? "entities.csv" : "entities.parquet");
        await using (var target = File.Create(file)) await http.Body.CopyToAsync(target, ct);
        if (new FileInfo(file).Length == 0) throw FieldErrors.Invalid("entities", "the body holds no entity dataframe");
        Validate(dto);
        return Request(dto, file, format, work);
    }

    /// <summary>A request whose entity rows came as JSON (at least one): checked, its rows written to a file in
    /// <paramref name="work"/>.</summary>
    public static async Task<HistoricalRequest> FromRowsAsync(HistoricalFeaturesRequestDto dto, string work)
    {
        Validate(dto);
        var file = Path.Combine(work, "entities.jsonl");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
            foreach (var row in dto.Entities!)
                await writer.WriteLineAsync(JsonSerializer.Serialize(row));
        return Request(dto, file, EntityFrameFormat.JsonLines, work);
    }

    private static HistoricalRequest Request(HistoricalFeaturesRequestDto dto, string file, EntityFrameFormat format, string work) =>
        new(Names.ProjectOrDefault(dto.Project), dto.Features, dto.FeatureService, dto.FullFeatureNames,
            dto.TimestampField ?? FeatureNames.EventTimestamp, dto.SaveAs, file, format, work, dto.AllowGaps);

    /// <summary>A JSON body: the options and at least one entity row.</summary>
    private static async Task<HistoricalFeaturesRequestDto> ReadJsonAsync(Stream body, Func<string, Task> authorize, CancellationToken ct)
    {
        HistoricalFeaturesRequestDto dto;
        try
        {
            dto = await JsonSerializer.DeserializeAsync<HistoricalFeaturesRequestDto>(body, Json, ct)
                  ?? throw FieldErrors.Invalid("serializerErrors", "the body is empty");
        }
        catch (JsonException e)
        {
            throw FieldErrors.Invalid(e.Path is { Length: > 2 } path ? path[2..] : "serializerErrors",
                $"is not valid here: {e.Message.Split(" Path:")[0]}");
        }
        await authorize(Names.ProjectOrDefault(dto.Project));
        if (dto.Entities is not { Count: > 0 }) throw FieldErrors.Invalid("entities",
            "must hold at least one entity row, such as {\"customer_id\": 1, \"event_timestamp\": \"2024-06-01T00:00:00Z\"}");
        return dto;
    }

    /// <summary>The options of a CSV or Parquet body, from the query string (RequestShapes has refused any other than
    /// <see cref="QueryOptions"/>), flags true or false.</summary>
    private static HistoricalFeaturesRequestDto FromQuery(IQueryCollection query)
    {
        var errors = new List<FieldError>();
        bool Flag(string name)
        {
            var value = false;
            if (query.TryGetValue(name, out var text) && !bool.TryParse(text.ToString(), out value))
                errors.Add(new FieldError(name, "must be true or false"));
            return value;
        }
        var (fullNames, allowGaps) = (Flag("fullFeatureNames"), Flag("allowGaps"));
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        string? One(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;
        return new HistoricalFeaturesRequestDto
        {
            Project = One("project"), FeatureService = One("featureService"), TimestampField = One("timestampField"),
            SaveAs = One("saveAs"),
            FullFeatureNames = fullNames, AllowGaps = allowGaps,
            Features = query.TryGetValue("features", out var features)
                ? features.SelectMany(f => f!.Split(',')).Select(f => f.Trim()).ToList() : null,
        };
    }

    private static void Validate(HistoricalFeaturesRequestDto dto)
    {
        var result = Validator.Validate(dto);
        if (!result.IsValid) throw FieldErrors.Invalid(result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
    }
}

/// <summary>
/// The checks that need no definitions, run by <see cref="HistoricalRequestReader"/> (the endpoint reads JSON, CSV or
/// Parquet bodies, so FastEndpoints does not bind it); the same shared rules as the online requests.
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
