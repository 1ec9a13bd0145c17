using FeatureStore.Api.Security;
using Microsoft.Extensions.Http.Resilience;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>
/// The two HttpClients model-api calls feature-api with, each with its own standard resilience pipeline (so its own circuit):
/// <see cref="LongWork"/> for training sets, datasets and the consistency check, which may take minutes, and
/// <see cref="Serving"/> for a prediction's online read, which has seconds. Neither retries: their calls are POSTs, a training
/// set saves a dataset and must not be sent twice, and a prediction would rather answer (degraded or 503) than wait.
/// </summary>
public static class FeatureApiResilience
{
    public const string LongWork = "feature-api";
    public const string Serving = "feature-api-serving";

    /// <summary>
    /// How long a prediction waits for feature-api. A prediction has 5 s in all (<c>TimeoutPolicies.Online</c>): a hung
    /// feature-api must leave it time to answer, naming feature-api (or degraded), instead of the request's own timeout.
    /// </summary>
    public static readonly TimeSpan ServingAttempt = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the serving circuit stays open before one probe may pass (half-open); the same as the <c>Retry-After</c>
    /// our 503s ask for, so a client coming back when told finds it probed.
    /// </summary>
    public static readonly TimeSpan ServingBreak = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddFeatureApiClients(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // replacing the defaults' handler is the documented way; the API is marked experimental
        services.AddHttpClient(LongWork, Address)
            .AddServiceCredential()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                // A training set is one historical retrieval that may take minutes: not cut off after the default 10 s.
                resilience.AttemptTimeout.Timeout = TimeSpan.FromMinutes(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(10);
                // The options require at least twice the attempt timeout; with the default 100 calls before it may open, this
                // circuit guards training, which is rare: the serving one below is what protects a dead feature-api.
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(20);
                resilience.Retry.DisableForUnsafeHttpMethods();
            });
        services.AddHttpClient(Serving, Address)
            .AddServiceCredential()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.AttemptTimeout.Timeout = ServingAttempt;
                resilience.TotalRequestTimeout.Timeout = ServingAttempt + TimeSpan.FromMilliseconds(500);
                resilience.Retry.DisableForUnsafeHttpMethods();
                // Half of at least 5 calls failing within 10 s opens the circuit: then a prediction is refused (or degraded) in
                // microseconds instead of each one waiting out a connection or the attempt timeout, and feature-api sees one
                // probe per break until it answers again. The defaults (10 % of 100 calls in 30 s) would never open at the
                // rates a model is usually asked at.
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                resilience.CircuitBreaker.MinimumThroughput = 5;
                resilience.CircuitBreaker.FailureRatio = 0.5;
                resilience.CircuitBreaker.BreakDuration = ServingBreak;
            });
#pragma warning restore EXTEXP0001
        return services;
    }

    private static void Address(HttpClient http)
    {
        http.BaseAddress = new Uri($"http://{FeatureApiClient.ServiceName}/api/v1/"); // the SDK calls paths under the API root
        http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler times requests
    }
}
