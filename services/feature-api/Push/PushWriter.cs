using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.Storage.Online;

namespace FeatureStore.FeatureApi.Push;

/// <summary>Where pushed rows go (Feast's push modes).</summary>
[Flags]
public enum PushTarget { Online = 1, Offline = 2, OnlineAndOffline = Online | Offline }

/// <summary>
/// Writes pushed rows to every view that reads the push source: online, the newest row per entity (the store
/// refuses to replace a newer value with an older one); offline, into the push source's log and as files of the
/// history each view version writes, catalogued in one commit like a materialization's output, so historical
/// retrieval sees them and later materializations compute them again.
/// </summary>
public sealed class PushWriter(DefinitionCache definitions, IOnlineStore online, OfflinePushWriter offline, ServingMetrics metrics)
{
    public async Task<PushResultDto> PushAsync(string project, string pushSource, PushTarget target,
        IReadOnlyList<Dictionary<string, System.Text.Json.JsonElement>> rows,
        CancellationToken cancellationToken)
    {
        var source = await definitions.GetAsync<DataSourceDefinition>(project, pushSource, null, cancellationToken);
        if (source is null) throw FieldErrors.Invalid("pushSource", $"data source '{pushSource}' does not exist in project '{project}'");
        if (source.SourceKind != SourceKind.Push)
            throw FieldErrors.Invalid("pushSource", $"'{pushSource}' is a batch source; rows are pushed to push sources");
        var views = (await definitions.ListAsync<FeatureViewDefinition>(project, cancellationToken))
            .Where(v => v.Source.Name == source.Name)
            .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        var pushed = PushedRows.Check(source, views, rows);

        var pushId = Guid.NewGuid();
        var newest = pushed.Rows.Max(r => pushed.TimeOf(r).EventTime);
        // Offline first, as one commit: the push source's log (even when no view keeps rows offline now, a later one may be
        // backfilled from it) and each offline view's history.
        var tables = target.HasFlag(PushTarget.Offline)
            ? await offline.WriteAsync(project, views.Where(v => v.Offline).ToList(), pushed, pushId, cancellationToken) : [];
        var results = new List<PushedViewDto>();
        foreach (var view in views)
        {
            long keys = 0;
            if (target.HasFlag(PushTarget.Online) && view.Online) keys = await WriteOnlineAsync(project, view, pushed, cancellationToken);
            var files = tables.FirstOrDefault(t => t.View == view.Name)?.Files ?? [];
            metrics.SawEventTime(project, view.Name, newest);
            results.Add(new PushedViewDto(view.Name, view.Version, keys, files.Count, files.Sum(f => f.RowCount)));
        }
        return new PushResultDto(pushId, pushed.Rows.Count, results);
    }

    private async Task<long> WriteOnlineAsync(string project, FeatureViewDefinition view, PushedRows pushed,
        CancellationToken cancellationToken)
    {
        var latest = new LatestPerEntity<Dictionary<string, object?>>();
        foreach (var row in pushed.Rows) latest.Offer(PushedRows.KeyOf(view, row).Text, pushed.TimeOf(row), row);
        return await online.WriteAsync(project, view.Name, view.Features.Select(f => f.Name).ToList(),
            latest.Rows.Select(r => new OnlineRow(new EntityKey(r.EntityKey), r.Time,
                view.Features.Select(f => PushedRows.ValueOf(r.Row, f)).ToList())),
            view.Ttl, cancellationToken);
    }
}
