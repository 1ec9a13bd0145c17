using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Monitoring;

public sealed class FeatureLogRequest : MonitoringPeriodRequest, IObjectScoped
{
    [RouteParam] public string Name { get; set; } = "";

    ObjectKind IObjectScoped.ObjectKind => ObjectKind.FeatureService;
    string IObjectScoped.ObjectName => Name;
}

/// <summary>
/// <c>GET /api/v1/feature-services/{name}/logs?project=&amp;start=&amp;end=</c>: the Parquet files of what the service served
/// and logged (its <c>logging.sampleRate</c>) in [start, end), the last hour by default, oldest first.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class ListFeatureLogFiles(IDefinitionStore definitions, IFeatureLogStore logs, TimeProvider clock)
    : Endpoint<FeatureLogRequest, FeatureLogDto>
{
    public override void Configure()
    {
        Get("feature-services/{name}/logs");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(FeatureLogRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        if (!await definitions.EverExistedAsync(project, ObjectKind.FeatureService, request.Name, ct))
            ThrowError(r => r.Name, $"feature service '{request.Name}' has never existed in project '{project}'", 404);
        var (start, end) = request.Period(clock.GetUtcNow());
        var files = await logs.ListLogFilesAsync(project, request.Name, start, end, ct);
        var answer = files.Select(f =>
            new FeatureLogFileDto(f.Path, f.ServiceVersion, f.Date, f.RowCount, f.MinTime, f.MaxTime, f.SizeBytes, f.WrittenAt,
                f.ContentHash)).ToList();
        await Send.OkAsync(new FeatureLogDto(project, request.Name, start, end, files.Sum(f => f.RowCount), answer), ct);
    }
}

public sealed class FeatureLogRequestValidator : Validator<FeatureLogRequest>
{
    public FeatureLogRequestValidator()
    {
        this.AddPeriodRules();
        RuleFor(r => r.Name).MustBeName();
    }
}
