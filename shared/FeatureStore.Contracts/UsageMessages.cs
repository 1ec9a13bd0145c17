namespace FeatureStore.Contracts;

/// <summary>
/// Reads one feature-api instance served in one minute under one set of names. <see cref="Feature"/> is empty for the row
/// counting whole requests (requests, entity rows); a feature's row counts the requests and entity rows that read it and
/// its online statuses. Absent names (no model, no feature service) are empty text.
/// </summary>
public sealed record UsageCount(DateTimeOffset Minute, string Project, string Endpoint, string Principal, string Model,
    string FeatureService, string Feature, long Requests, long EntityRows, long Hits, long Misses, long Stale);

/// <summary>How many requests to an endpoint one instance answered in one minute within one latency bucket
/// (<c>LatencyHistogram</c>).</summary>
public sealed record LatencyCount(DateTimeOffset Minute, string Endpoint, int Bucket, long Count);

/// <summary>Event: a feature-api instance's usage and latency counts since its last report, for the registry to add to the
/// persisted per-minute totals (which so sum every instance).</summary>
public sealed record ServingUsageRecorded(string Instance, IReadOnlyList<UsageCount> Usage, IReadOnlyList<LatencyCount> Latency);

/// <summary>Event: a feature-api instance wrote values a feature service served (version <see cref="ServiceVersion"/>) to its log
/// in the offline store; the registry catalogues the files (<see cref="OfflineFile.MinEventTime"/>/<c>Max</c>: the logging
/// times they span).</summary>
public sealed record FeatureLogWritten(string Project, string Service, int ServiceVersion, IReadOnlyList<OfflineFile> Files);
