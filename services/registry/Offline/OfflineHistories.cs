using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Offline;

/// <summary>
/// The offline histories as readers see them: for a view version, the history it reads as of a commit — the files
/// with the windows later commits replaced (<see cref="OfflineVisibility"/>), files replaced whole left out — and what
/// the history covers (files a compaction superseded are read only as of earlier commits). Also records pushes, checked against
/// the definitions they name.
/// </summary>
public sealed class OfflineHistories(IDefinitionStore store, IOfflineCatalog catalog, TimeProvider clock)
{
    /// <summary>The history of version <paramref name="version"/> of a view (the latest when null); null when that version does
    /// not exist.</summary>
    public async Task<FeatureViewDefinition?> FindVersionAsync(string project, string view, int? version,
        CancellationToken cancellationToken) =>
        await store.FindFeatureViewAsync(project, view, version, cancellationToken);

    /// <summary>A history as of commit <paramref name="asOf"/> (its latest when null).</summary>
    public async Task<OfflineSnapshot> SnapshotAsync(string project, string view, int history, long? asOf,
        CancellationToken cancellationToken)
    {
        var (commits, files) = await ReadAsync(project, view, history, asOf, cancellationToken);
        var visible = new List<(OfflineCommit Owner, CataloguedFile File)>();
        foreach (var (file, owner, masks) in files)
            if (!OfflineVisibility.HidesAll(masks, file.MinEventTime, file.MaxEventTime))
                visible.Add((owner, new CataloguedFile(file.Path, file.Date, file.RowCount, file.MinEventTime, file.MaxEventTime,
                    file.ContentHash, file.SizeBytes, masks, file.EventTies)));
        return new OfflineSnapshot(history, commits.Count == 0 ? 0 : commits[^1].Sequence, visible.Select(v => v.File).ToList(),
            OfflineVisibility.Covered(commits), OfflineVisibility.EventTiesPossible(visible));
    }

    /// <summary>Every file of a history read as of <paramref name="asOf"/> (committed by then, not superseded by a compaction by
    /// then), with the commit that wrote it and the windows that mask its rows (all of them, for a file replaced whole).</summary>
    public async Task<(IReadOnlyList<OfflineCommit> Commits,
        IReadOnlyList<(OfflineFileRecord File, OfflineCommit Owner, IReadOnlyList<TimeWindow> Masks)> Files)> ReadAsync(
        string project, string view, int history, long? asOf, CancellationToken cancellationToken)
    {
        var commits = (await catalog.ListOfflineCommitsAsync(project, view, history, cancellationToken))
            .Where(c => asOf is null || c.Sequence <= asOf).ToList();
        var last = commits.Count == 0 ? 0 : commits[^1].Sequence;
        var owners = commits.ToDictionary(c => c.Sequence);
        var files = (await catalog.ListOfflineFilesAsync(project, view, history, includeStaged: false, cancellationToken))
            .Where(f => OfflineVisibility.Read(f.CommitSequence!.Value, f.SupersededBy, last)
                        && owners.ContainsKey(f.CommitSequence!.Value))
            .Select(f => Placed(f, owners[f.CommitSequence!.Value]))
            .ToList();
        return (commits, files);

        (OfflineFileRecord, OfflineCommit, IReadOnlyList<TimeWindow>) Placed(OfflineFileRecord file, OfflineCommit owner) =>
            (file, owner, OfflineVisibility.Masks(owner, file.MinEventTime, file.MaxEventTime, commits));
    }

    /// <summary>
    /// Records a push: its log files must lie under the push source's log, and each view's under the prefix of the history
    /// its version writes; every view must read the source and keep rows offline. All of it becomes visible at once.
    /// </summary>
    public async Task RecordPushAsync(string project, string source, Guid pushId, IReadOnlyList<CataloguedFile> logFiles,
        IReadOnlyList<PushedViewFiles> views, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var definition = await store.FindObjectAsync(project, ObjectKind.DataSource, source, null, cancellationToken)
            is { Deleted: false } found
            ? found.Read<DataSourceDefinition>() : null;
        if (definition is not { SourceKind: SourceKind.Push })
            throw new NotFoundException([new FieldError("name", $"push source '{source}' does not exist in project '{project}'")]);
        var logPrefix = OfflineTables.PushLogPrefix(project, source) + "/";
        for (var i = 0; i < logFiles.Count; i++)
            if (!logFiles[i].Path.StartsWith(logPrefix, StringComparison.Ordinal))
                errors.Add(new FieldError($"logFiles[{i}].path", $"must lie under '{logPrefix}'"));
        var records = new List<OfflineFileRecord>();
        for (var v = 0; v < views.Count; v++)
        {
            var view = await store.FindFeatureViewAsync(project, views[v].View, views[v].Version, cancellationToken);
            if (view is null || view.Source.Name != source || !view.Offline)
            {
                errors.Add(new FieldError($"views[{v}]",
                    $"version {views[v].Version} of feature view '{views[v].View}' does not keep rows of '{source}' offline"));
                continue;
            }
            var prefix = OfflineTables.Prefix(project, view.Name, view.HistoryVersion) + "/";
            foreach (var (file, i) in views[v].Files.Select((f, i) => (f, i)))
            {
                if (!file.Path.StartsWith(prefix, StringComparison.Ordinal))
                    errors.Add(new FieldError($"views[{v}].files[{i}].path", $"must lie under '{prefix}'"));
                records.Add(new OfflineFileRecord(file.Path, project, view.Name, view.HistoryVersion, pushId, 0, file.Date, file.RowCount,
                    file.MinEventTime,
                    file.MaxEventTime, file.ContentHash, file.SizeBytes, file.MinEventTime, file.MaxEventTime, null,
                    EventTies: file.EventTies));
            }
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        await catalog.CommitPushAsync(new PushRecord(project, source, pushId, clock.GetUtcNow(), logFiles, records), cancellationToken);
    }
}
