using FeatureStore.Contracts;

namespace FeatureStore.Registry.Storage;

/// <summary>A catalogued file of a feature service's log.</summary>
public sealed record FeatureLogFile(string Path, string Project, string Service, int ServiceVersion, string Date, long RowCount,
    DateTimeOffset MinTime, DateTimeOffset MaxTime, string ContentHash, long SizeBytes, DateTimeOffset WrittenAt);

/// <summary>The catalogue of feature logs: what files each service's log has.</summary>
public interface IFeatureLogStore
{
    /// <summary>Records files of a log; a file recorded before is left as it is (a redelivered event changes nothing).</summary>
    Task RecordLogFilesAsync(FeatureLogWritten written, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A service's log files that span any time in [start, end), oldest first.</summary>
    Task<IReadOnlyList<FeatureLogFile>> ListLogFilesAsync(string project, string service, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken);
}
