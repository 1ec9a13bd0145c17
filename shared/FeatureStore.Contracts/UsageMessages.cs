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

/// <summary>Command (to <see cref="Queues.CheckDrift"/>, one feature-api instance takes it): compare what a feature service served
/// in [<see cref="Start"/>, <see cref="End"/>) with its drift reference; sent by the registry at each due time of the service's
/// drift schedule.</summary>
public sealed record CheckFeatureDrift(string Project, string FeatureService, DateTimeOffset Start, DateTimeOffset End,
    DateTimeOffset Due);

/// <summary>Event: a drift check found features of a service past their thresholds (the report holds every feature's scores).
/// </summary>
public sealed record FeatureDriftDetected(string Project, string FeatureService, string Reference, DateTimeOffset Start,
    DateTimeOffset End, IReadOnlyList<string> Drifted, DriftReportDto Report, DateTimeOffset CheckedAt);

/// <summary>Event: a model version was promoted (it answers predictions from now on); <see cref="Dataset"/> is the saved dataset it
/// was trained on, the default drift reference of the feature services it uses.</summary>
public sealed record ModelPromoted(string Project, string Model, int Version, string Dataset, string TrainingFeatureService,
    string ServingFeatureService, DateTimeOffset PromotedAt);
