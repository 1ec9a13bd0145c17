using System.Diagnostics.Metrics;
using System.Threading.Channels;
using FeatureStore.Domain.Security;

namespace FeatureStore.Api.Audit;

/// <summary>
/// A process's audit records on their way to the log: a bounded queue a request adds to without waiting (the read path is
/// never slowed by auditing), emptied in batches by <see cref="AuditShipper"/>. When the queue is full — the log has been
/// unreachable for long — a record is dropped, counted (<c>featurestore.audit.records.dropped</c>) and reported by the
/// <c>audit</c> health check: a loss is loud, never silent.
/// </summary>
public sealed class AuditTrail
{
    public const int Capacity = 20_000;

    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _written;
    private long _droppedTotal;

    public AuditTrail(IMeterFactory meters)
    {
        var meter = meters.Create("FeatureStore.Audit");
        _dropped = meter.CreateCounter<long>("featurestore.audit.records.dropped", "{record}",
            "Audit records lost because the audit log could not take them in time");
        _written = meter.CreateCounter<long>("featurestore.audit.records.written", "{record}", "Audit records handed to the log");
        meter.CreateObservableGauge("featurestore.audit.queue.length", () => _queue.Reader.Count, "{record}",
            "Audit records waiting to be written");
    }

    internal ChannelReader<AuditRecord> Reader => _queue.Reader;

    public long Dropped => Interlocked.Read(ref _droppedTotal);

    public int Waiting => _queue.Reader.Count;

    public void Record(AuditRecord record)
    {
        if (_queue.Writer.TryWrite(record)) return;
        Interlocked.Increment(ref _droppedTotal);
        _dropped.Add(1);
    }

    internal void Written(int count) => _written.Add(count);
}
