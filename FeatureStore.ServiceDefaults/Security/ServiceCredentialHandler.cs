using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FeatureStore.Api.Security;

/// <summary>Sends the service credential on a call to another of our services (and only there: it is added to their named
/// clients, never to every client of the process).</summary>
public sealed class ServiceCredentialHandler(IOptions<AuthOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.Value.ServiceKey is { Length: > 0 } key && !request.Headers.Contains(Credentials.ApiKeyHeader))
            request.Headers.Add(Credentials.ApiKeyHeader, key);
        return base.SendAsync(request, cancellationToken);
    }
}

public static class ServiceCredentialRegistration
{
    public static IHttpClientBuilder AddServiceCredential(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddTransient<ServiceCredentialHandler>();
        return builder.AddHttpMessageHandler<ServiceCredentialHandler>();
    }
}
