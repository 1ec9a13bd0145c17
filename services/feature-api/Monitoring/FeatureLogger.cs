using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using FeatureStore.FeatureApi.Serving;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Monitoring;

public sealed class FeatureLoggingOptions
{
    /// <summary>How many sampled reads may wait for the writer to take them into its columns; beyond it new ones are dropped
    /// (and counted), never waited for.</summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>How often waiting reads are written as files.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A file is written as soon as it holds this many entity rows (its columns are what a log holds in memory).</summary>
    public int MaxRowsPerFile { get; set; } = 20_000;
}

/// <summary>One sampled read, as it was answered: what <see cref="FeatureLogWriter"/> writes to the service's log.</summary>
public sealed record LoggedRead(DateTimeOffset At, string RequestId, string Project, FeatureSelection Selection,
    IReadOnlyDictionary<string, List<JsonElement>> Entities, int RowCount, FeatureReadings Readings);

/// <summary>
/// Samples online reads of feature services that log (<c>logging.sampleRate</c>) into a bounded queue. Offering costs a random
/// draw and, when sampled, one queue write of references the answer holds anyway; a full queue drops the read and counts it
/// (<c>featurestore_feature_logging_dropped_total</c>) rather than slow the request.
/// </summary>
public sealed class FeatureLogger
{
    private readonly Channel<LoggedRead> _queue;
    private readonly Counter<long> _sampled;
    private readonly Counter<long> _dropped;

    public FeatureLogger(IOptions<FeatureLoggingOptions> options, IMeterFactory meters)
    {
        var meter = meters.Create("FeatureStore.FeatureApi.Logging");
        _sampled = meter.CreateCounter<long>("featurestore.feature_logging.reads", "{read}", "Online reads sampled for a feature log");
        _dropped = meter.CreateCounter<long>("featurestore.feature_logging.dropped", "{read}",
            "Sampled reads (queue full) or rows (file not written) not logged");
        _queue = Channel.CreateBounded<LoggedRead>(new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
        }, _ => Dropped(1, "queue full"));
    }

    public ChannelReader<LoggedRead> Reads => _queue.Reader;

    public void Offer(string project, FeatureSelection selection, EntityColumns entities, FeatureReadings readings, DateTimeOffset at)
    {
        if (selection.Service?.Logging is not { } logging) return;
        if (logging.SampleRate < 1 && Random.Shared.NextDouble() >= logging.SampleRate) return;
        _sampled.Add(1, new KeyValuePair<string, object?>("service", selection.Service.Name));
        var request = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        _queue.Writer.TryWrite(new LoggedRead(at, request, project, selection, entities.Columns, entities.RowCount, readings));
    }

    public void Dropped(long reads, string reason) => _dropped.Add(reads, new KeyValuePair<string, object?>("reason", reason));
}
