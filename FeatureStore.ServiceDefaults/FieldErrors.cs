using FastEndpoints;
using FluentValidation.Results;

namespace FeatureStore.Api;

/// <summary>One problem with a request: the JSON path of the field (<c>featureViews[2].schema[0].type</c>) and why.</summary>
public sealed record FieldError(string Field, string Reason);

/// <summary>
/// Thrown anywhere while handling a request (endpoint or service) to answer with a problem detail that
/// lists every field error; <see cref="FieldErrorsPostProcessor"/> renders it.
/// </summary>
public class FieldErrorsException(int status, IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")))
{
    public int Status { get; } = status;
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

public static class FieldErrors
{
    public static FieldErrorsException BadRequest(IEnumerable<FieldError> errors) => new(400, errors.ToList());

    public static FieldErrorsException BadRequest(string field, string reason) => BadRequest([new FieldError(field, reason)]);
}

/// <summary>
/// Turns a <see cref="FieldErrorsException"/> into the same problem-details answer validators produce
/// (FastEndpoints hands uncaught exceptions to post-processors before rethrowing them).
/// </summary>
public sealed class FieldErrorsPostProcessor : IGlobalPostProcessor
{
    public async Task PostProcessAsync(IPostProcessorContext context, CancellationToken ct)
    {
        if (context.ExceptionDispatchInfo?.SourceException is not FieldErrorsException problem || context.HttpContext.Response.HasStarted) return;
        context.MarkExceptionAsHandled();
        await context.HttpContext.Response.SendErrorsAsync(problem.Errors.Select(e => new ValidationFailure(e.Field, e.Reason)).ToList(), problem.Status,
            cancellation: ct);
    }
}
