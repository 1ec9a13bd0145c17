using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.Api.Audit;

public static class AuditRegistration
{
    /// <summary>The audit trail of an API host: its queue, the shipper that empties it into the host's
    /// <see cref="Domain.Security.IAuditSink"/> (the registry's store, or the bus), and the <c>audit</c> health check.</summary>
    public static TBuilder AddAuditTrail<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddSingleton<AuditTrail>();
        builder.Services.TryAddSingleton<AuditShipper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditShipper>());
        builder.Services.AddHealthChecks().AddCheck<AuditShipper>("audit");
        return builder;
    }
}
