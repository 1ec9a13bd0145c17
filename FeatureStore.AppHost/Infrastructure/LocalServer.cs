namespace FeatureStore.AppHost.Infrastructure;

/// <summary>A backing server run as a local process: one endpoint, and the connection string services get for it.</summary>
public abstract class LocalServer(string name, string command, string directory, string endpointName = "tcp")
    : ExecutableResource(name, command, directory), IResourceWithConnectionString
{
    public EndpointReference PrimaryEndpoint => new(this, endpointName);

    public abstract ReferenceExpression ConnectionStringExpression { get; }
}

/// <summary>A local server that requires a password: generated once per AppHost, kept as a secret parameter.</summary>
public abstract class PasswordProtectedServer(string name, string command, string directory, ParameterResource password)
    : LocalServer(name, command, directory)
{
    public ParameterResource Password => password;

    /// <summary>
    /// The secret parameter <c>{name}-password</c>, generated and persisted on first use. No special characters: it goes
    /// into connection strings and <c>amqp://</c> URIs as it is.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddPassword(IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 22, Special = false },
            secret: true, persist: true);
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
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource,
            async (_, ct) => value = await resource.ConnectionStringExpression.GetValueAsync(ct));
        return () => value ?? throw new InvalidOperationException($"the connection string of {resource.Name} is not known yet");
    }
}
