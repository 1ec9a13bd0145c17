using System.Diagnostics;
using FeatureStore.Api;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>
/// The gRPC edge's choice of status, as the HTTP edge's is <see cref="FieldErrors.StatusOf"/>: a refusal becomes the gRPC
/// status of its HTTP one (<see cref="GrpcStatuses"/>: 400 INVALID_ARGUMENT, 403 PERMISSION_DENIED, 404 NOT_FOUND, 422
/// FAILED_PRECONDITION, 503 UNAVAILABLE, …) with its field errors as the detail, and a dependency that is down
/// (<see cref="DependencyFailures"/>) UNAVAILABLE naming it. Anything else is our bug: INTERNAL with the trace id only, logged
/// with its stack trace.
/// </summary>
public sealed class RefusalInterceptor(IEnumerable<IDependencyFailure> dependencies, ILogger<RefusalInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RefusedException refusal)
        {
            throw Status(refusal);
        }
        catch (Exception e) when (e is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            if (DependencyFailures.Recognise(e, dependencies) is { } down) throw Status(down);
            var traceId = Activity.Current?.Id ?? context.GetHttpContext().TraceIdentifier;
            logger.LogError(e, "gRPC {Method} failed (trace {TraceId})", context.Method, traceId);
            throw new RpcException(new Status(StatusCode.Internal,
                $"an unexpected error; the log line with trace id {traceId} says what happened"));
        }
    }

    private static RpcException Status(RefusedException refusal)
    {
        var code = (StatusCode)GrpcStatuses.FromHttp(FieldErrors.StatusOf(refusal));
        var detail = string.Join("; ", refusal.Errors.Select(e => $"{e.Field}: {e.Reason}"));
        return new RpcException(new Status(code, detail));
    }
}
