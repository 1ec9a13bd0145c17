using System.Globalization;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /get-online-features</c> (no <c>/api/v1</c> prefix, as Feast's feature server serves it): the same
/// read as <see cref="GetOnlineFeatures"/>, in Feast's request and column-major response shapes.
/// </summary>
public sealed class GetFeastOnlineFeatures(OnlineFeatureReader reader, ServingMetrics metrics) : Endpoint<FeastOnlineRequestDto, FeastOnlineResponseDto>
{
    /// <summary>Feast reports a missing time (and every join key's) as the epoch.</summary>
    private const string NoTime = "1970-01-01T00:00:00Z";

    public override void Configure()
    {
        Post("get-online-features");
        RoutePrefixOverride(string.Empty);
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(FeastOnlineRequestDto request, CancellationToken ct)
    {
        using var timer = metrics.Time("get-online-features");
        var answer = await reader.ReadAsync(new OnlineFeaturesRequestDto
        {
            Project = request.Project, Entities = request.Entities, Features = request.Features,
            FeatureService = request.FeatureService, FullFeatureNames = request.FullFeatureNames,
        }, SelectionFields.Feast, ct);
        var keyColumns = request.Entities!.Keys.ToList();
        var columns = keyColumns.Select(key => new FeastColumnDto(
            answer.Results.Select(r => (System.Text.Json.JsonElement?)r.Entity[key]).ToList(),
            answer.Results.Select(_ => FeatureStatus.Present).ToList(),
            answer.Results.Select(_ => NoTime).ToList())).ToList();
        columns.AddRange(answer.FeatureNames.Select(name => new FeastColumnDto(
            answer.Results.Select(r => r.Values[name]).ToList(),
            answer.Results.Select(r => r.Statuses[name]).ToList(),
            answer.Results.Select(r => r.EventTimestamps[name]?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture) ?? NoTime).ToList())));
        await Send.OkAsync(new FeastOnlineResponseDto(new FeastMetadataDto([.. keyColumns, .. answer.FeatureNames]), columns), ct);
    }
}

public sealed class GetFeastOnlineFeaturesValidator : Validator<FeastOnlineRequestDto>
{
    public GetFeastOnlineFeaturesValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        this.AddFeatureChoiceRules(r => r.Features, r => r.FeatureService, SelectionFields.Feast);
        this.AddEntityColumnRules(r => r.Entities, GetOnlineFeaturesValidator.MaxEntityRows);
    }
}
