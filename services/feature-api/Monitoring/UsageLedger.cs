using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.FeatureApi.Monitoring;

/// <summary>
/// What this instance served, counted per minute until <see cref="UsageShipper"/> reports it: per request shape (endpoint,
/// project, caller, model, the resolved selection) the requests, entity rows and each feature's statuses, and per endpoint
/// the latency histogram. A read costs one dictionary lookup and an uncontended lock; features are named only when the
/// counts are drained.
/// </summary>
public sealed class UsageLedger(TimeProvider clock)
{
    private readonly record struct Shape(long Minute, string Endpoint, string Project, string Principal, string Model,
        SameSelection Selection);

    /// <summary>A resolved selection compared by reference: the selector hands out one object per request shape, and a
    /// record's own equality would hash it deeply on every read (its lazily filled caches included).</summary>
    private readonly struct SameSelection(FeatureSelection value) : IEquatable<SameSelection>
    {
        public FeatureSelection Value { get; } = value;

        public bool Equals(SameSelection other) => ReferenceEquals(Value, other.Value);

        public override bool Equals(object? obj) => obj is SameSelection other && Equals(other);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(Value);
    }

    private sealed class Tally(int outputs)
    {
        public long Requests;
        public long EntityRows;
        public readonly long[] Hits = new long[outputs];
        public readonly long[] Misses = new long[outputs];
        public readonly long[] Stale = new long[outputs];
    }

    private ConcurrentDictionary<Shape, Tally> _usage = new();
    private ConcurrentDictionary<(long Minute, string Endpoint), long[]> _latency = new();

    /// <summary>One read: <paramref name="readings"/> per output (null for historical reads, which have no online statuses).</summary>
    public void Read(string project, ReadCaller caller, FeatureSelection selection, long entityRows, FeatureReadings? readings)
    {
        var shape = new Shape(Minute(), caller.Endpoint, project, caller.UsageName, caller.Model ?? "", new SameSelection(selection));
        var tally = _usage.GetOrAdd(shape, static (_, outputs) => new Tally(outputs), selection.Outputs.Count);
        lock (tally)
        {
            tally.Requests++;
            tally.EntityRows += entityRows;
            if (readings is null) return;
            for (var o = 0; o < readings.Outputs && o < tally.Hits.Length; o++)
                foreach (var reading in readings.Column(o))
                    switch (reading.Status)
                    {
                        case FeatureStatus.NotFound: tally.Misses[o]++; break;
                        case FeatureStatus.OutsideMaxAge: tally.Stale[o]++; break;
                        default: tally.Hits[o]++; break;
                    }
        }
    }

    public void Latency(string endpoint, double seconds)
    {
        var counts = _latency.GetOrAdd((Minute(), endpoint), static _ => new long[LatencyHistogram.BucketCount]);
        Interlocked.Increment(ref counts[LatencyHistogram.BucketOf(seconds)]);
    }

    /// <summary>
    /// Takes every count so far, leaving the ledger empty. A read that found its tally just before the swap may still add
    /// to it; the short pause before reading lets those finish (a count is rarely lost, never doubled).
    /// </summary>
    public async Task<(List<UsageCount> Usage, List<LatencyCount> Latency)> DrainAsync(CancellationToken cancellationToken)
    {
        var usage = Interlocked.Exchange(ref _usage, new ConcurrentDictionary<Shape, Tally>());
        var latency = Interlocked.Exchange(ref _latency, new ConcurrentDictionary<(long Minute, string Endpoint), long[]>());
        if (usage.IsEmpty && latency.IsEmpty) return ([], []);
        await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var rows = new Dictionary<(DateTimeOffset, string, string, string, string, string, string), UsageCount>();
        void Add(UsageCount count)
        {
            var key = (count.Minute, count.Project, count.Endpoint, count.Principal, count.Model, count.FeatureService, count.Feature);
            rows[key] = rows.TryGetValue(key, out var had)
                ? had with
                {
                    Requests = had.Requests + count.Requests,
                    EntityRows = had.EntityRows + count.EntityRows,
                    Hits = had.Hits + count.Hits,
                    Misses = had.Misses + count.Misses,
                    Stale = had.Stale + count.Stale,
                }
                : count;
        }
        foreach (var (shape, tally) in usage)
            lock (tally)
            {
                var minute = new DateTimeOffset(shape.Minute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
                var selection = shape.Selection.Value;
                var service = selection.Service?.Name ?? "";
                UsageCount Row(string feature, long hits, long misses, long stale) => new(minute, shape.Project, shape.Endpoint,
                    shape.Principal, shape.Model, service, feature, tally.Requests, tally.EntityRows, hits, misses, stale);
                Add(Row("", tally.Hits.Sum(), tally.Misses.Sum(), tally.Stale.Sum()));
                for (var o = 0; o < selection.Outputs.Count; o++)
                {
                    var feature = selection.Outputs[o].Ref;
                    Add(Row($"{feature.View}:{feature.Feature}", tally.Hits[o], tally.Misses[o], tally.Stale[o]));
                }
            }
        var latencies = latency.SelectMany(entry => entry.Value.Select((count, bucket) => (count, bucket)).Where(c => c.count > 0)
            .Select(c => new LatencyCount(new DateTimeOffset(entry.Key.Minute * TimeSpan.TicksPerMinute, TimeSpan.Zero),
                entry.Key.Endpoint, c.bucket, c.count))).ToList();
        return (rows.Values.ToList(), latencies);
    }

    private long Minute() => clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;
}
