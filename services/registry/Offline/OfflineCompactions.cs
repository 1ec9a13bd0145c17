using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Messaging;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace FeatureStore.Registry.Offline;

/// <summary>When a history is compacted (<c>FeatureStore:Offline:Compaction</c>).</summary>
public sealed class CompactionOptions
{
    /// <summary>A file holding fewer rows than this is small: a compaction rewrites small files into files of about this many.</summary>
    public long RowsPerFile { get; set; } = 1_000_000;

    /// <summary>A history with at least this many small files is compacted after a run commits (0: never by itself).</summary>
    public int AutomaticAfterFiles { get; set; } = 16;

    /// <summary>A compaction no worker reported on for this long is failed as abandoned when the next one is asked for.</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Plans compactions (docs/semantics.md, compaction): the small materialization and compaction files a history reads now (and
/// those it no longer reads at all), with the windows that mask them, rewritten by pipeline-worker as fewer files. What a
/// compaction shows is <see cref="OfflineVisibility"/>'s rule; the store commits it only while its inputs are still read.
/// </summary>
public sealed partial class OfflineCompactions(OfflineHistories histories, IOfflineCompactionStore store, IBus bus,
    IOptions<CompactionOptions> options, TimeProvider clock, ILogger<OfflineCompactions> logger)
{
    public const string Manual = "manual";
    public const string Automatic = "automatic";

    /// <summary>
    /// Starts a compaction of a history asked for by <paramref name="trigger"/>: none (null) when it has fewer small files than
    /// the trigger needs (2 when asked by hand). Throws <see cref="CompactionRunningException"/> when one runs, and a 503 naming
    /// the bus when the command cannot be sent (the compaction is then recorded as failed).
    /// </summary>
    public async Task<OfflineCompaction?> StartAsync(string project, string view, int history, string trigger,
        CancellationToken cancellationToken)
    {
        var (commits, files) = await histories.ReadAsync(project, view, history, null, cancellationToken);
        var inputs = files.Where(f => OfflineVisibility.Compactable(f.Owner)
                                      && (f.File.RowCount < options.Value.RowsPerFile
                                          || OfflineVisibility.HidesAll(f.Masks, f.File.MinEventTime, f.File.MaxEventTime)))
            .ToList();
        if (inputs.Count < Math.Max(2, trigger == Manual ? 2 : options.Value.AutomaticAfterFiles)) return null;
        var compaction = new OfflineCompaction(Guid.NewGuid(), project, view, history, commits[^1].Sequence, trigger,
            inputs.Select(f => f.File.Path).ToList(), inputs.Sum(f => f.File.RowCount), clock.GetUtcNow());
        await store.StartCompactionAsync(compaction, options.Value.AbandonAfter, cancellationToken);
        try
        {
            await bus.SendWithinAsync(Queues.CompactAddress, [new CompactOfflineHistory(compaction.Id, project, view, history,
                compaction.Base, options.Value.RowsPerFile,
                inputs.Select(f => new CompactionInput(f.File.Path, f.Masks, f.File.EventTies)).ToList())],
                JobLauncher.SendTimeout, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await store.FailCompactionAsync(compaction.Id, $"could not send the compaction to pipeline-worker: {e.Message}",
                clock.GetUtcNow(), CancellationToken.None);
            throw new DependencyUnavailableException([new FieldError("bus",
                "the message bus is unavailable; the compaction was recorded as failed")]);
        }
        Started(logger, compaction.Id, view, history, inputs.Count, compaction.RowsIn, trigger);
        return compaction;
    }

    /// <summary>After a run of a history committed: compacts it when it has gathered enough small files. Never throws: a
    /// compaction that cannot start now starts after a later run.</summary>
    public async Task AfterRunAsync(string project, string view, int history, CancellationToken cancellationToken)
    {
        if (options.Value.AutomaticAfterFiles <= 0) return;
        try
        {
            await StartAsync(project, view, history, Automatic, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            NotStarted(logger, view, history, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Compaction {CompactionId} of {View} history v{History}: {Files} files, {Rows} rows ({Trigger})")]
    private static partial void Started(ILogger logger, Guid compactionId, string view, int history, int files, long rows,
        string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "No compaction of {View} history v{History} after its run: {Reason}")]
    private static partial void NotStarted(ILogger logger, string view, int history, string reason);
}
