using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.FeatureApi.Monitoring;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.FeatureApi.Infrastructure;

/// <summary>
/// feature-api's own metrics, shown by the Aspire dashboard through OTLP: request latency per endpoint
/// (with buckets fine enough for sub-millisecond reads; ASP.NET Core's own start at 5 ms), online hits,
/// misses and stale values, and per view the freshness of what is served (now − newest event time seen).
/// </summary>
public sealed class ServingMetrics
{
    public const string MeterName = "FeatureStore.FeatureApi";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _stale;
    private readonly ConcurrentDictionary<(string Project, string View), long> _newestEventTicks = new();
    private readonly TimeProvider _clock;

    private readonly UsageLedger _ledger;

    public ServingMetrics(IMeterFactory meters, TimeProvider clock, UsageLedger ledger)
    {
        _clock = clock;
        _ledger = ledger;
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram("featurestore.feature_api.request.duration", "s",
            "Time to answer a feature-api request, by endpoint",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyHistogram.Bounds });
        _hits = meter.CreateCounter<long>("featurestore.online.hits", "{feature}",
            "Online features found with a value (PRESENT or NULL_VALUE)");
        _misses = meter.CreateCounter<long>("featurestore.online.misses", "{feature}", "Online features not found (NOT_FOUND)");
        _stale = meter.CreateCounter<long>("featurestore.online.stale", "{feature}",
            "Online features older than their TTL (OUTSIDE_MAX_AGE)");
        meter.CreateObservableGauge("featurestore.feature.freshness", Freshness, "s",
            "Now minus the newest event time seen per feature view");
    }

    /// <summary>Starts timing a request; dispose the result when the answer is sent.</summary>
    public RequestTimer Time(string endpoint) => new(this, endpoint, Stopwatch.GetTimestamp());

    public readonly struct RequestTimer(ServingMetrics metrics, string endpoint, long started) : IDisposable
    {
        public void Dispose()
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            metrics._duration.Record(seconds, new KeyValuePair<string, object?>("endpoint", endpoint));
            metrics._ledger.Latency(endpoint, seconds); // persisted per minute, for /monitoring/metrics
        }
    }

    public void RecordReadings(FeatureReadings readings)
    {
        long hits = 0, misses = 0, stale = 0;
        foreach (var reading in readings.All)
            switch (reading.Status)
            {
                case FeatureStatus.NotFound: misses++; break;
                case FeatureStatus.OutsideMaxAge: stale++; break;
                default: hits++; break;
            }
        if (hits > 0) _hits.Add(hits);
        if (misses > 0) _misses.Add(misses);
        if (stale > 0) _stale.Add(stale);
    }

    /// <summary>A view holds values up to <paramref name="eventTime"/> (seen in a read, a completed materialization or a push).</summary>
    public void SawEventTime(string project, string view, DateTimeOffset eventTime) =>
        _newestEventTicks.AddOrUpdate((project, view), static (_, ticks) => ticks, static (_, old, ticks) => Math.Max(old, ticks),
            eventTime.UtcTicks);

    private IEnumerable<Measurement<double>> Freshness()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        foreach (var ((project, view), ticks) in _newestEventTicks)
            yield return new Measurement<double>(TimeSpan.FromTicks(now - ticks).TotalSeconds,
                new KeyValuePair<string, object?>("project", project), new KeyValuePair<string, object?>("view", view));
    }
}
