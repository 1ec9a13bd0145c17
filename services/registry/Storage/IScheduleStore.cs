namespace FeatureStore.Registry.Storage;

/// <summary>When each view's schedule last fired, shared by every registry instance so a fire happens once.</summary>
public interface IScheduleStore
{
    Task<DateTimeOffset?> LastScheduleFireAsync(string project, string view, CancellationToken cancellationToken);

    /// <summary>Records that a schedule fired at <paramref name="fireTime"/>; false when another instance already did.</summary>
    Task<bool> TryRecordScheduleFireAsync(string project, string view, DateTimeOffset fireTime, CancellationToken cancellationToken);
}
