using System.Globalization;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureStore.Api;

/// <summary>
/// How long a request may run before its work is cancelled and it is answered with a 503 problem naming <c>timeout</c>,
/// instead of holding a connection for as long as a stuck dependency or a runaway query lasts. Online reads are a
/// serving path (a model waits on them): seconds at most. Long work (apply, historical retrieval, uploads, pushes,
/// training) has minutes; everything else the default. Each is configuration (<c>FeatureStore:Limits:Timeouts:*</c>,
/// in seconds); an endpoint names its policy with <c>Options(route => route.WithRequestTimeout(TimeoutPolicies.Online))</c>.
/// </summary>
public static class TimeoutPolicies
{
    public const string Online = "online";
    public const string Long = "long";

    private static readonly (string Name, double DefaultSeconds)[] Policies = [(Online, 5), (Long, 600)];
    private const double DefaultSeconds = 30;

    public static void AddTimeoutPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("FeatureStore:Limits:Timeouts");
        services.AddRequestTimeouts(options =>
        {
            options.DefaultPolicy = Policy("Default", limits.GetValue("Default", DefaultSeconds));
            foreach (var (name, seconds) in Policies)
                options.AddPolicy(name, Policy(name, limits.GetValue(char.ToUpperInvariant(name[0]) + name[1..], seconds)));
        });
    }

    private static RequestTimeoutPolicy Policy(string name, double seconds) => new()
    {
        Timeout = TimeSpan.FromSeconds(seconds),
        TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        // While this runs, RequestAborted is still the token that just timed out, and FastEndpoints writes with it when given
        // none: the write would be cancelled halfway and a 500 added behind the 503. The answer gets a few seconds of its own.
        WriteTimeoutResponse = async context =>
        {
            using var writing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await context.Response.SendErrorsAsync([new ValidationFailure("timeout",
                    string.Create(CultureInfo.InvariantCulture, $"the request ran past its limit of {seconds:0.###} s")
                    + $" ({name.ToLowerInvariant()} requests)")],
                StatusCodes.Status503ServiceUnavailable, cancellation: writing.Token);
        },
    };
}
