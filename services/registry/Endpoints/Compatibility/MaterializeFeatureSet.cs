using System.Globalization;
using System.Text.Json.Serialization;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Compatibility;
using FeatureStore.Registry.Endpoints.Materializations;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Compatibility;

public sealed class MaterializeFeatureSetRequest : IProjectScoped
{
    public string Id { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
    private DateTimeOffset? _start, _end;

    [JsonPropertyName("start_date")]
    public string? StartDate { get; set { field = value; _start = Instant(value, end: false); } }

    [JsonPropertyName("end_date")]
    public string? EndDate { get; set { field = value; _end = Instant(value, end: true); } }

    /// <summary><see cref="StartDate"/> read once, as it is set: its first instant; null when it is not a date or an instant.</summary>
    [JsonIgnore] public DateTimeOffset? Start => _start;

    /// <summary><see cref="EndDate"/> read once, as it is set: its last instant; null when it is not a date or an instant.</summary>
    [JsonIgnore] public DateTimeOffset? End => _end;

    /// <summary>A date (<c>2024-01-31</c>) is its whole day, UTC: from its first instant (a start) or to its last (an end).</summary>
    public static DateTimeOffset? Instant(string? text, bool end) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(end ? 1 : 0).AddTicks(end ? -10 : 0)
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                ? instant.ToUniversalTime() : null;
}

/// <summary>
/// <c>POST /api/v1/feature-sets/{id}/materialize</c> (Feature Store 2.0) with <c>{start_date, end_date}</c>: starts the materialization
/// of the set's feature view over the window (inclusive), 202 with the job and where to follow it; 409 while a job of the view runs
/// or the set has no feature yet.
/// </summary>
[Access(FeatureAction.Materialize)]
public sealed class MaterializeFeatureSet(FeatureSets sets) : Endpoint<MaterializeFeatureSetRequest, FeatureSetMaterializationDto>
{
    public override void Configure()
    {
        Post("feature-sets/{id}/materialize");
        Description(d => d.Produces<FeatureSetMaterializationDto>(202).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(MaterializeFeatureSetRequest request, CancellationToken ct)
    {
        var window = new TimeWindow(request.Start!.Value, request.End!.Value);
        var job = await sets.MaterializeAsync(Names.ProjectOrDefault(request.Project), request.Id, window, ct);
        var accepted = AcceptedJobs.Of(job);
        HttpContext.Response.Headers.Location = accepted.Location;
        await Send.ResponseAsync(new FeatureSetMaterializationDto(job.Id, request.Id, accepted.Status, job.Window.Start, job.Window.End,
            accepted.Location), 202, ct);
    }
}

public sealed class MaterializeFeatureSetValidator : Validator<MaterializeFeatureSetRequest>
{
    private const string Format = "must be a date (2024-01-31) or an ISO 8601 instant";

    public MaterializeFeatureSetValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.StartDate).Must((r, _) => r.Start is not null).WithMessage(Format).OverridePropertyName("start_date");
        RuleFor(r => r.EndDate).Must((r, _) => r.End is not null).WithMessage(Format).OverridePropertyName("end_date");
        RuleFor(r => r.EndDate).Must((r, _) => r.End >= r.Start).WithMessage("must not be before start_date")
            .OverridePropertyName("end_date").When(r => r.Start is not null && r.End is not null);
    }
}
