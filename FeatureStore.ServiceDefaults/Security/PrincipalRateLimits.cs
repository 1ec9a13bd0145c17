using System.Globalization;
using System.Threading.RateLimiting;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FeatureStore.Api.Security;

/// <summary>
/// A token bucket per principal (ASP.NET Core's rate limiter), keyed by who is asking once authentication has said so: a key's
/// own <c>requestsPerSecond</c> when it has one, the deployment's <see cref="RateLimitOptions"/> otherwise. The services'
/// credential and anonymous requests (refused with a 401 anyway, or probes of <c>/health</c>) are not limited. Over the limit:
/// 429 with <c>Retry-After</c>, a problem naming the credential.
/// </summary>
public static class PrincipalRateLimits
{
    public static IServiceCollection AddPrincipalRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (string Id, int PerSecond)>(Partition);
            limiter.OnRejected = RefuseAsync;
        });

    private static RateLimitPartition<(string, int)> Partition(HttpContext http)
    {
        var principal = http.PrincipalOf();
        if (principal is null || principal.Kind == Domain.Security.PrincipalKind.Service)
            return RateLimitPartition.GetNoLimiter<(string, int)>(("", 0));
        var defaults = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.RateLimit;
        var perSecond = principal.RequestsPerSecond ?? defaults.RequestsPerSecond;
        var burst = principal.RequestsPerSecond is null ? Math.Max(defaults.Burst, perSecond) : perSecond;
        return RateLimitPartition.GetTokenBucketLimiter((principal.Id, perSecond), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RefuseAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var principal = http.PrincipalOf()!;
        var limit = principal.RequestsPerSecond ?? http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.RateLimit
            .RequestsPerSecond;
        await http.Response.SendErrorsAsync([new ValidationFailure(Credentials.Read(http.Request).Header,
            $"'{principal.Id}' is over its rate limit of {limit} requests per second; retry after {http.Response.Headers.RetryAfter} s")],
            StatusCodes.Status429TooManyRequests, cancellation: cancellationToken);
    }
}
