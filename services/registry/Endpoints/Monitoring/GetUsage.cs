using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Monitoring;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Monitoring;

public sealed class UsageRequest : MonitoringPeriodRequest;

/// <summary>
/// <c>GET /api/v1/monitoring/usage?project=&amp;start=&amp;end=</c>: what feature-api served of a project in [start, end) (the last
/// hour by default): requests, entity rows and features read in all, per feature (with its online hit rate), per feature
/// service, principal, model and endpoint — summed from every feature-api instance's per-minute counts, which reach the registry
/// about every ten seconds.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetUsage(IUsageStore store, TimeProvider clock) : Endpoint<UsageRequest, UsageReportDto>
{
    public override void Configure() => Get("monitoring/usage");

    public override async Task HandleAsync(UsageRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var (start, end) = request.Period(clock.GetUtcNow());
        await Send.OkAsync(UsageReports.Usage(project, start, end, await store.FindUsageAsync(project, start, end, ct)), ct);
    }
}

public sealed class UsageRequestValidator : Validator<UsageRequest>
{
    public UsageRequestValidator() => this.AddPeriodRules();
}
