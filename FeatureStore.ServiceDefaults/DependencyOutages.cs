using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureStore.Api;

/// <summary>
/// Recognises an exception as a dependency that cannot be reached now (Redis, a database, the object store), and names it
/// the way problems name dependencies (<c>onlineStore</c>, <c>database</c>, <c>objectStore</c>). Each storage registration
/// adds the one for what it brings, so the HTTP edge needs to know no driver.
/// </summary>
public interface IDependencyFailure
{
    /// <summary>The dependency's field and why, or null when <paramref name="exception"/> is not this dependency being down.</summary>
    FieldError? Recognise(Exception exception);
}

public static class DependencyFailures
{
    /// <summary>What a 503 asks the client to wait, in seconds (the <c>Retry-After</c> header).</summary>
    public const string RetryAfter = "5";

    public static IServiceCollection AddDependencyFailure<T>(this IServiceCollection services) where T : class, IDependencyFailure
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyFailure, T>());
        return services;
    }

    /// <summary>
    /// <paramref name="exception"/> (or one inside it) as the outage of a dependency some <paramref name="failures"/>
    /// recognises, or null when it is none: then it is a bug of ours, and stays a 500.
    /// </summary>
    public static DependencyUnavailableException? Recognise(Exception exception, IEnumerable<IDependencyFailure> failures) =>
        Chain(exception).SelectMany(e => failures.Select(f => f.Recognise(e))).FirstOrDefault(d => d is not null) is { } down
            ? new DependencyUnavailableException([down])
            : null;

    /// <summary><paramref name="exception"/> and every exception inside it, outermost first.</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.Reverse()) pending.Push(inner);
            else if (current.InnerException is { } inner) pending.Push(inner);
        }
    }
}
