using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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
    public static IServiceCollection AddDependencyFailure<T>(this IServiceCollection services) where T : class, IDependencyFailure
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyFailure, T>());
        return services;
    }

    /// <summary><paramref name="exception"/> and every exception inside it, outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
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

/// <summary>
/// The last stop of an exception no endpoint handled: a dependency that is down answers 503 with <c>Retry-After</c> and a
/// problem naming it (logged as a warning: it is the dependency's fault, not ours); anything else falls through to the
/// bare 500 problem with its trace id.
/// </summary>
public sealed partial class DependencyOutageHandler(IEnumerable<IDependencyFailure> failures, ILogger<DependencyOutageHandler> logger)
    : IExceptionHandler
{
    /// <summary>What a 503 asks the client to wait, in seconds (the <c>Retry-After</c> header).</summary>
    public const string RetryAfter = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var down = exception is DependencyUnavailableException refusal ? refusal.Errors.FirstOrDefault()
            : DependencyFailures.Chain(exception).Select(e => failures.Select(f => f.Recognise(e)).FirstOrDefault(d => d is not null))
                .FirstOrDefault(d => d is not null);
        if (down is null || context.Response.HasStarted) return false;
        LogOutage(logger, down.Field, context.Request.Method, context.Request.Path, exception.GetType().Name, exception.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfter;
        context.Response.ContentType = "application/problem+json";
        var problem = new ProblemDocument("https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4", "Service Unavailable", 503,
            context.Request.Path, System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier, null,
            [new ProblemError(down.Field, down.Reason)]);
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, JsonSerializerOptions.Web, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} is unavailable: {Method} {Path} answered 503 ({Exception}: {Reason})")]
    private static partial void LogOutage(ILogger logger, string dependency, string method, string path, string exception, string reason);
}
