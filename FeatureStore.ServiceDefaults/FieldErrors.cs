using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;

namespace FeatureStore.Api;

/// <summary>One problem with a request: the JSON path of the field (<c>featureViews[2].schema[0].type</c>) and why.</summary>
public sealed record FieldError(string Field, string Reason);

/// <summary>
/// A request refused, with every field error at once. Domain code throws the kind of refusal it is (invalid, not found,
/// conflict, stale precondition, dependency unavailable); only the HTTP edge (<see cref="FieldErrorsPostProcessor"/>)
/// turns a kind into a status code.
/// </summary>
public abstract class RefusedException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>The request itself is wrong (a field's value, a missing part, a body that cannot be read).</summary>
public sealed class InvalidRequestException(IReadOnlyList<FieldError> errors) : RefusedException(errors);

/// <summary>Something the request names does not exist.</summary>
public sealed class NotFoundException(IReadOnlyList<FieldError> errors) : RefusedException(errors);

/// <summary>The request is valid but clashes with the current state (an active job, a breaking change, an existing name).</summary>
public class ConflictException(IReadOnlyList<FieldError> errors) : RefusedException(errors);

/// <summary>A condition the caller set (an ETag) no longer holds.</summary>
public sealed class PreconditionFailedException(IReadOnlyList<FieldError> errors) : RefusedException(errors);

/// <summary>A dependency (named by the field: registry, bus, objectStore, …) cannot be reached now; the same request may succeed
/// later.</summary>
public sealed class DependencyUnavailableException(IReadOnlyList<FieldError> errors) : RefusedException(errors);

/// <summary>
/// A refusal whose status only the HTTP edge can choose (406 Accept, 413 size, 415 Content-Type, 422, 502 from an
/// upstream service): thrown by endpoints and HTTP clients, never by domain code.
/// </summary>
public class FieldErrorsException(int status, IReadOnlyList<FieldError> errors) : RefusedException(errors)
{
    public int Status { get; } = status;
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
        ConflictException => StatusCodes.Status409Conflict,
        PreconditionFailedException => StatusCodes.Status412PreconditionFailed,
        DependencyUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };
}

/// <summary>
/// Turns a <see cref="RefusedException"/> into the same problem-details answer validators produce
/// (FastEndpoints hands uncaught exceptions to post-processors before rethrowing them).
/// </summary>
public sealed class FieldErrorsPostProcessor : IGlobalPostProcessor
{
    public async Task PostProcessAsync(IPostProcessorContext context, CancellationToken ct)
    {
        if (context.ExceptionDispatchInfo?.SourceException is not RefusedException problem
            || context.HttpContext.Response.HasStarted) return;
        context.MarkExceptionAsHandled();
        var status = FieldErrors.StatusOf(problem);
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.HttpContext.Response.Headers.RetryAfter = DependencyOutageHandler.RetryAfter;
        await context.HttpContext.Response.SendErrorsAsync(problem.Errors.Select(e => new ValidationFailure(e.Field, e.Reason)).ToList(),
            status, cancellation: ct);
    }
}
