using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

public static class ReadinessChecks
{
    /// <summary>
    /// Adds a readiness check (served by <c>/health</c>) from a probe that throws when the dependency is
    /// not usable and otherwise describes it ("ping 0.3 ms", "postgresql").
    /// </summary>
    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name,
        Func<IServiceProvider, CancellationToken, Task<string>> probe)
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration(name, provider => new ProbeHealthCheck(provider, probe),
            HealthStatus.Unhealthy, tags: null));
        return services;
    }

    private sealed class ProbeHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<string>> probe)
        : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try { return HealthCheckResult.Healthy(await probe(services, cancellationToken)); }
            catch (Exception e) { return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e); }
        }
    }
}
