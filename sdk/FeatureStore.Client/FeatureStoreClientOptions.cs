namespace FeatureStore.Client;

/// <summary>
/// Where the services answer and who is asking. <see cref="Endpoint"/> alone serves a standalone host (every API on one address);
/// a deployment names each service.
/// </summary>
public sealed class FeatureStoreClientOptions
{
    /// <summary>One address for every API (the standalone host), and the default of the three below.</summary>
    public Uri? Endpoint { get; set; }

    public Uri? Registry { get; set; }
    public Uri? FeatureApi { get; set; }
    public Uri? ModelApi { get; set; }

    /// <summary>An API key (<c>X-API-Key</c>); none in open mode.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The project every call uses unless it names another; the server's default project when null.</summary>
    public string? Project { get; set; }

    /// <summary>The feature service <see cref="FeatureStoreClient.GetFeaturesForPredictionAsync"/> reads by default.</summary>
    public string? PredictionFeatureService { get; set; }

    /// <summary>The join key an entity id stands for in the single-entity calls.</summary>
    public string EntityKey { get; set; } = "customer_id";

    /// <summary>How long one request may take (long retrievals and uploads included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often <see cref="FeatureStoreClient.WaitForJobAsync"/> asks for a job's state.</summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    internal Uri Resolve(Uri? specific, string service) =>
        specific ?? Endpoint ?? throw new InvalidOperationException($"no address for {service}: set Endpoint or {service}");
}
