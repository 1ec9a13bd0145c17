namespace FeatureStore.Contracts;

/// <summary>The HTTP headers of the store's own, as the services read them and the SDK sends them.</summary>
public static class FeatureStoreHeaders
{
    /// <summary>An API key (or <c>Authorization: Bearer</c> when it is not a token).</summary>
    public const string ApiKey = "X-API-Key";

    /// <summary>A service reading for a caller names them (<c>id|role,role</c>): the answer's <c>withheld</c> lists what the caller
    /// may not see. Believed only from the services' own credential.</summary>
    public const string OnBehalfOf = "X-FeatureStore-On-Behalf-Of";

    /// <summary>A service reading for a model names it and its version (<c>churn/3</c>): usage is counted per model. Believed only
    /// from the services' own credential.</summary>
    public const string Model = "X-FeatureStore-Model";

    /// <summary>The project a Feast gRPC call reads (Feast's request has no project field); the default project when absent.
    /// </summary>
    public const string Project = "X-FeatureStore-Project";
}
