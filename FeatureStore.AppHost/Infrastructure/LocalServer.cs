namespace FeatureStore.AppHost.Infrastructure;

/// <summary>A backing server run as a local process: one endpoint, and the connection string services get for it.</summary>
public abstract class LocalServer(string name, string command, string directory, string endpointName = "tcp")
    : ExecutableResource(name, command, directory), IResourceWithConnectionString
{
    public EndpointReference PrimaryEndpoint => new(this, endpointName);

    public abstract ReferenceExpression ConnectionStringExpression { get; }
}

public static class ConnectionStrings
{
    /// <summary>
    /// The resource's connection string once Aspire has allocated its endpoints (health checks, which need it, run only
    /// after that); throwing before then reads as "unhealthy", which it is.
    /// </summary>
    public static Func<string> Track(IDistributedApplicationBuilder builder, IResourceWithConnectionString resource)
    {
        string? value = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, ct) => value = await resource.ConnectionStringExpression.GetValueAsync(ct));
        return () => value ?? throw new InvalidOperationException($"the connection string of {resource.Name} is not known yet");
    }
}
