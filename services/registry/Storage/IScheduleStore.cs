namespace FeatureStore.Registry.Storage;

/// <summary>When each schedule last fired — a view's materializations, a feature service's drift checks — shared by every registry
/// instance so a fire happens once.</summary>
public interface IScheduleStore
{
    Task<DateTimeOffset?> LastScheduleFireAsync(string project, string view, CancellationToken cancellationToken);

    /// <summary>Records that a schedule fired at <paramref name="fireTime"/>; false when another instance already did.</summary>
    Task<bool> TryRecordScheduleFireAsync(string project, string view, DateTimeOffset fireTime, CancellationToken cancellationToken);

    Task<DateTimeOffset?> LastDriftCheckAsync(string project, string service, CancellationToken cancellationToken);

    /// <summary>Records that a service's drift schedule fired at <paramref name="fireTime"/>; false when another instance already did.
    /// </summary>
    Task<bool> TryRecordDriftCheckAsync(string project, string service, DateTimeOffset fireTime, CancellationToken cancellationToken);
}
