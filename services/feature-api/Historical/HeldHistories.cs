using System.Diagnostics.Metrics;
using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.FeatureApi.Infrastructure;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>
/// The offline histories feature-api holds in memory for small historical requests (<see cref="HeldHistory"/>), one per view
/// version and snapshot, within <see cref="HistoricalOptions.HeldRows"/> rows in all: a snapshot is loaded in the background
/// when a request first needs it (that request, and those until the load ends, read the files), the least recently used
/// are let go beyond the limit, and a newer snapshot of the same history replaces the older at once. A history of more rows
/// than the limit, or of more than <see cref="MaxFiles"/> files (a history written a file per day is compacted first), is not
/// held: the join reads its files.
/// </summary>
public sealed class HeldHistories
{
    /// <summary>More files than this are read per request instead: loading them all would cost a cold request more than the
    /// few its entity rows reach.</summary>
    public const int MaxFiles = 64;

    private sealed record Key(string Project, string View, int Version, int History, long Sequence);

    private sealed class Entry(Task<HeldHistory?> load)
    {
        public Task<HeldHistory?> Load { get; } = load;
        public long LastUsed = Environment.TickCount64;
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<Key, Entry> _held = [];
    private readonly IOptions<HistoricalOptions> _options;
    private readonly ILogger<HeldHistories> _logger;

    public HeldHistories(IOptions<HistoricalOptions> options, ILogger<HeldHistories> logger, IMeterFactory meters)
    {
        (_options, _logger) = (options, logger);
        meters.Create(ServingMetrics.MeterName).CreateObservableGauge("featurestore.historical.held_rows", () => Rows, "{row}",
            "Rows of offline history feature-api holds in memory for small historical requests");
    }

    /// <summary>The rows held now, in all.</summary>
    private long Rows
    {
        get
        {
            lock (_gate) return _held.Values.Sum(e => e.Load.IsCompletedSuccessfully ? e.Load.Result?.Rows ?? 0 : 0);
        }
    }

    /// <summary>
    /// The snapshot's rows if they are held; otherwise null, and their load (from the files <paramref name="localFiles"/> gives)
    /// starts in the background unless it has already: no request waits for one. A load that failed is not tried again for the
    /// same snapshot (its files are read per request instead, which reports what is wrong with them).
    /// </summary>
    public HeldHistory? Held(string project, FeatureViewDefinition view, OfflineSnapshot snapshot,
        Func<CancellationToken, Task<IReadOnlyList<LocalFile>>> localFiles)
    {
        var limit = _options.Value.HeldRows;
        var rows = snapshot.Files.Sum(f => f.RowCount);
        if (limit <= 0 || rows > limit || snapshot.Files.Count > MaxFiles) return null;
        var key = new Key(project, view.Name, view.Version, snapshot.History, snapshot.Sequence);
        lock (_gate)
        {
            if (_held.TryGetValue(key, out var entry))
            {
                entry.LastUsed = Environment.TickCount64;
                return entry.Load.IsCompletedSuccessfully ? entry.Load.Result : null;
            }
            // A newer snapshot of the same history makes the older one useless: let it go now, not when the limit is hit.
            foreach (var older in _held.Keys.Where(k => k with { Sequence = key.Sequence } == key && k.Sequence < key.Sequence).ToList())
                _held.Remove(older);
            _held[key] = new Entry(Task.Run(async () =>
            {
                var held = await LoadAsync(view, snapshot, localFiles, (int)rows);
                if (held is not null) LetGoBeyondLimit(limit);
                return held;
            }));
            return null;
        }
    }

    private async Task<HeldHistory?> LoadAsync(FeatureViewDefinition view, OfflineSnapshot snapshot,
        Func<CancellationToken, Task<IReadOnlyList<LocalFile>>> localFiles, int rows)
    {
        try
        {
            // Shared by every request waiting for it: no one request's cancellation stops it.
            var files = await localFiles(CancellationToken.None);
            using var connection = DuckDbSandbox.OpenLocked(new DuckDbLimits(_options.Value.MemoryLimit, 1),
                files: files.Select(f => f.Path));
            var held = HeldHistory.Load(connection, view, files, rows);
            _logger.LogInformation("Holding offline history v{History} (commit {Sequence}) of feature view {View} v{Version}: " +
                "{Rows} rows, about {Megabytes} MB", snapshot.History, snapshot.Sequence, view.Name, view.Version, held.Rows,
                held.Bytes >> 20);
            return held;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "Offline history v{History} of feature view {View} v{Version} is not held; requests read its files",
                snapshot.History, view.Name, view.Version);
            return null;
        }
    }

    private void LetGoBeyondLimit(long limit)
    {
        lock (_gate)
        {
            var loaded = _held.Where(e => e.Value.Load.IsCompletedSuccessfully && e.Value.Load.Result is not null)
                .OrderBy(e => e.Value.LastUsed).ToList();
            var total = loaded.Sum(e => (long)e.Value.Load.Result!.Rows);
            foreach (var (key, entry) in loaded)
            {
                if (total <= limit) break;
                _held.Remove(key);
                total -= entry.Load.Result!.Rows;
            }
        }
    }
}
