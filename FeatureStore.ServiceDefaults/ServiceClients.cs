using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace FeatureStore.Api;

/// <summary>
/// How one of our services calls another (feature-api → registry, model-api → feature-api) and what it makes of a failure.
/// </summary>
public static class ServiceClients
{
    /// <summary>
    /// The standard resilience handler, tuned for a service that answers its own callers while it waits: a refused connection
    /// or a 5xx is tried again twice, quickly (0.2 s, 0.4 s), and the callee's <c>Retry-After</c> is not waited out (the
    /// defaults honour it: three retries of a 503 with <c>Retry-After: 5</c> held a request 15 s). The caller gets its own
    /// 503 within a second and may retry itself.
    /// </summary>
    public static IHttpClientBuilder AddServiceClientResilience(this IHttpClientBuilder builder)
    {
#pragma warning disable EXTEXP0001 // replacing the defaults' handler is the documented way; the API is marked experimental
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddStandardResilienceHandler(options =>
        {
            options.Retry.ShouldRetryAfterHeader = false;
            options.Retry.MaxRetryAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.BackoffType = DelayBackoffType.Exponential;
        });
        return builder;
    }

    /// <summary>
    /// The call could not get an answer that counts: no connection, a 502/503/504 from the callee, or the resilience handler
    /// refusing to try (circuit open, attempt or total timeout). Anything else (a 4xx, a 500) is an answer to handle.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: var status } => (int)status! is 502 or 503 or 504,
        ExecutionRejectedException => true,
        _ => false,
    };
}
