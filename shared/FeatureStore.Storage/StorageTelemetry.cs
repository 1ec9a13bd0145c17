using System.Diagnostics;

namespace FeatureStore.Storage;

/// <summary>
/// Spans for storage calls that have no instrumentation package on this mirror (Redis tracing,
/// object-store calls). Registered with OpenTelemetry by the service defaults.
/// </summary>
public static class StorageTelemetry
{
    public const string SourceName = "FeatureStore.Storage";
    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartRedis(string operation, string project, string? view)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", "redis");
        activity?.SetTag("featurestore.project", project);
        if (view is not null) activity?.SetTag("featurestore.view", view);
        return activity;
    }

    public static Activity? StartObjectStore(string operation, string bucket, string key)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("rpc.system", "s3");
        activity?.SetTag("aws.s3.bucket", bucket);
        activity?.SetTag("aws.s3.key", key);
        return activity;
    }
}
