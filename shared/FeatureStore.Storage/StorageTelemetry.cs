using System.Diagnostics;

namespace FeatureStore.Storage;

/// <summary>
/// Our own storage spans, registered with OpenTelemetry by the service defaults ("FeatureStore.*"), client spans of the
/// server each call goes to. Online-store spans name the operation, project, view and counts, and the Redis commands the
/// call sent (one span per call, not per command: Aspire's per-command spans are off, see StorageRegistration). Object-store
/// spans: no instrumentation covers the Minio SDK.
/// </summary>
public static class StorageTelemetry
{
    public const string SourceName = "FeatureStore.Storage";
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A call to Redis sending <paramref name="command"/> (e.g. <c>HMGET</c>) once or more.</summary>
    public static Activity? StartOnlineStore(string operation, string command, string project, string? view)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("db.system", "redis");
        activity?.SetTag("db.operation.name", command);
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
