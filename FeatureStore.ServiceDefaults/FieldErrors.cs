using System.Collections.Concurrent;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeatureStore.Api;

/// <summary>One problem with a request: the JSON path of the field (<c>featureViews[2].schema[0].type</c>) and why.</summary>
public sealed record FieldError(string Field, string Reason);

/// <summary>
/// A request refused, with every field error at once. Domain code throws the kind of refusal it is (invalid, not found,
/// conflict, stale precondition, unprocessable, dependency unavailable); only the HTTP edge (<see cref="FieldErrorsPostProcessor"/>)
/// turns a kind into a status code.
/// </summary>
public abstract class RefusedException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    /// <summary>The same kind of refusal (the same status) with other field errors: a refusal told in another body's fields.</summary>
    public abstract RefusedException WithErrors(IReadOnlyList<FieldError> errors);
}

/// <summary>The request itself is wrong (a field's value, a missing part, a body that cannot be read).</summary>
public sealed class InvalidRequestException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override InvalidRequestException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>Something the request names does not exist.</summary>
public sealed class NotFoundException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override NotFoundException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>The request is valid but clashes with the current state (an active job, a breaking change, an existing name).</summary>
public class ConflictException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override ConflictException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>The caller is who they say, but may not do this (a project, an action or protected features their roles do not
/// cover).</summary>
public sealed class ForbiddenException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override ForbiddenException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>A condition the caller set (an ETag) no longer holds.</summary>
public sealed class PreconditionFailedException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override PreconditionFailedException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>The request is valid, but what it asks for cannot be computed: a stored definition breaks a rule of the server (a
/// function user SQL may not call) or ran past its time limit.</summary>
public sealed class UnprocessableException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override UnprocessableException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>A dependency (named by the field: registry, bus, objectStore, …) cannot be reached now; the same request may succeed
/// later.</summary>
public sealed class DependencyUnavailableException(IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public override DependencyUnavailableException WithErrors(IReadOnlyList<FieldError> errors) => new(errors);
}

/// <summary>
/// A refusal whose status only the HTTP edge can choose (406 Accept, 413 size, 415 Content-Type, 422, 502 from an
/// upstream service): thrown by endpoints and HTTP clients, never by domain code.
/// </summary>
public class FieldErrorsException(int status, IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public int Status { get; } = status;

    public override FieldErrorsException WithErrors(IReadOnlyList<FieldError> errors) => new(Status, errors);
}

public static class FieldErrors
{
    public static InvalidRequestException Invalid(IEnumerable<FieldError> errors) => new(errors.ToList());

    public static InvalidRequestException Invalid(string field, string reason) => Invalid([new FieldError(field, reason)]);

    /// <summary>The one mapping from a kind of refusal to its HTTP status.</summary>
    public static int StatusOf(RefusedException refusal) => refusal switch
    {
        FieldErrorsException chosen => chosen.Status,
        NotFoundException => StatusCodes.Status404NotFound,
        ForbiddenException => StatusCodes.Status403Forbidden,
        ConflictException => StatusCodes.Status409Conflict,
        PreconditionFailedException => StatusCodes.Status412PreconditionFailed,
        DependencyUnavailableException => StatusCodes.Status503ServiceUnavailable,
        UnprocessableException => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };
}

/// <summary>
/// Turns a <see cref="RefusedException"/> into the same problem-details answer validators produce
/// (FastEndpoints hands uncaught exceptions to post-processors before rethrowing them), and so an exception a storage
/// registration recognises as its server being down (<see cref="IDependencyFailure"/>): a 503 with <c>Retry-After</c>
/// naming it, logged as a warning. Anything else goes on to the bare 500 problem with its trace id.
/// </summary>
public sealed partial class FieldErrorsPostProcessor : IGlobalPostProcessor
{
    public async Task PostProcessAsync(IPostProcessorContext context, CancellationToken ct)
    {
        var services = context.HttpContext.RequestServices;
        var problem = context.ExceptionDispatchInfo?.SourceException switch
        {
            RefusedException refusal => refusal,
            { } other when DependencyFailures.Recognise(other, services.GetServices<IDependencyFailure>()) is { } outage =>
                Logged(outage, other, context.HttpContext, services.GetRequiredService<ILogger<FieldErrorsPostProcessor>>()),
            _ => null,
        };
        if (problem is null || context.HttpContext.Response.HasStarted) return;
        context.MarkExceptionAsHandled();
        var status = FieldErrors.StatusOf(problem);
        if (status == StatusCodes.Status403Forbidden)
            Audit.AuditNotes.Of(context.HttpContext).Detail = string.Join("; ", problem.Errors.Select(e => $"{e.Field}: {e.Reason}"));
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.HttpContext.Response.Headers.RetryAfter = DependencyFailures.RetryAfter;
        await context.HttpContext.Response.SendErrorsAsync(problem.Errors.Select(e => new ValidationFailure(e.Field, e.Reason)).ToList(),
            status, cancellation: ct);
    }

    // An outage refuses every request that needs the dependency (thousands a second): one line per dependency per
    // interval says so, not one per request.
    private const long LogIntervalMilliseconds = 10_000;
    private static readonly ConcurrentDictionary<string, long> OutageLoggedAt = new();

    private static RefusedException Logged(DependencyUnavailableException outage, Exception cause, HttpContext http, ILogger logger)
    {
        var dependency = outage.Errors[0].Field;
        var now = Environment.TickCount64;
        if (OutageLoggedAt.AddOrUpdate(dependency, now, (_, last) => now - last >= LogIntervalMilliseconds ? now : last) == now)
            LogOutage(logger, dependency, http.Request.Method, http.Request.Path, cause.GetType().Name, cause.Message);
        return outage;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Dependency} is unavailable: {Method} {Path} answered 503 ({Exception}: {Reason}); logged once per 10 s while it lasts")]
    private static partial void LogOutage(ILogger logger, string dependency, string method, string path, string exception, string reason);
}
