using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Monitoring;

/// <summary>
/// Every live view of a project with its freshness: what the registry knows of its runs (the last success and failure, the
/// newest event time computed) and of the pushes it catalogued for the view's source, judged by <see cref="DataFreshness"/>.
/// </summary>
public sealed class FreshnessBoard(IDefinitionStore definitions, IJobStore jobs, IOfflineCatalog catalog)
{
    public async Task<DataFreshnessDto> ReadAsync(string project, string? view, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var views = (await definitions.ListObjectsAsync(project, ObjectKind.FeatureView, cancellationToken))
            .Select(o => o.Read<FeatureViewDefinition>())
            .Where(v => view is null || v.Name == view)
            .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        var runs = (await jobs.SummarizeRunsAsync(project, cancellationToken)).ToDictionary(r => r.View);
        var pushed = await catalog.NewestPushedEventTimesAsync(project, cancellationToken);
        var answers = views.Select(v =>
        {
            var run = runs.GetValueOrDefault(v.Name);
            var newest = DataFreshness.Newest(run?.NewestEventTime, pushed.TryGetValue(v.Source.Name, out var p) ? p : null);
            var verdict = DataFreshness.Judge(new FreshnessFacts(newest, run?.LastSuccessAt), v.Ttl, v.Freshness, at);
            return new ViewFreshnessDto(v.Name, v.Version, v.Online, Durations.ToText(v.Ttl),
                v.Freshness is { } f ? Durations.ToText(f) : null, run?.LastSuccessAt, run?.LastSuccessWindowEnd, run?.LastFailureAt,
                newest, verdict.Age?.TotalSeconds, verdict.AgeOverTtl, verdict.AgeOverObjective, verdict.Status, verdict.Reason);
        }).ToList();
        return new DataFreshnessDto(project, at, answers.Count(a => a.Status == FreshnessStatus.Ok),
            answers.Count(a => a.Status == FreshnessStatus.Late), answers.Count(a => a.Status == FreshnessStatus.Stale), answers);
    }
}
