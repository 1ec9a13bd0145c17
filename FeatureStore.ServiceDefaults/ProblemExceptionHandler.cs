using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The last word on an exception no endpoint handled. Kestrel's refusal of the body itself (a malformed chunk, a body
/// shorter than its Content-Length, over the size limit) is the client's mistake: its own status (400, 408, 413) as a
/// problem naming <c>body</c>, not logged as an error. Anything else is our bug: a 500 problem with the trace id, always
/// application/problem+json whatever <c>Accept</c> says; the exception handler middleware logs it with its stack trace.
/// </summary>
public sealed class ProblemExceptionHandler : IExceptionHandler
{
    /// <summary>
    /// An empty error answer from routing (no operation at the path, a method or a media type the operation does not take)
    /// as the same problem shape every other refusal has, naming what was wrong.
    /// </summary>
    public static async Task WriteStatusProblemAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (method, path) = (http.Request.Method, http.Request.Path.Value);
        var status = http.Response.StatusCode;
        ValidationFailure failure = status switch
        {
            StatusCodes.Status404NotFound => new("path", $"no operation answers {method} {path}"),
            StatusCodes.Status405MethodNotAllowed => new("method", $"{path} does not take {method}"),
            StatusCodes.Status415UnsupportedMediaType => new("Content-Type",
                $"{method} {path} does not take '{(http.Request.ContentType is { Length: > 0 } type ? type : "no content type")}'"),
            _ => new("request", ReasonPhrases.GetReasonPhrase(status)),
        };
        await http.Response.SendErrorsAsync([failure], status);
    }

    public static bool IsClientError(ExceptionHandlerSuppressDiagnosticsContext context) => context.Exception is BadHttpRequestException;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (http.Response.HasStarted) return false;
        if (exception is BadHttpRequestException bad)
        {
            await http.Response.SendErrorsAsync([new ValidationFailure("body", $"cannot be read: {bad.Message}")], bad.StatusCode,
                cancellation: ct);
            return true;
        }
        await Results.Problem(statusCode: StatusCodes.Status500InternalServerError,
            detail: "an unexpected error; the log line with this trace id says what happened").ExecuteAsync(http);
        return true;
    }
}
