using System.Diagnostics;

namespace FeatureStore.Storage;

/// <summary>
/// Our own storage spans, registered with OpenTelemetry by the service defaults ("FeatureStore.*"). Online-store
/// spans are internal: they name the operation, project, view and counts, and parent the per-command Redis spans
/// that Aspire's Redis client emits. Object-store spans are client spans: no instrumentation covers the Minio SDK.
/// </summary>
public static class StorageTelemetry
{
    public const string SourceName = "FeatureStore.Storage";
    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartOnlineStore(string operation, string project, string? view)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Internal);
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
