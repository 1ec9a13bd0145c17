using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.Api;

/// <summary>
/// <c>GET</c> of one thing by what the route names: 200 with it, or a 404 problem naming the field that did not match.
/// A subclass says how to find it and what is missing when it is not there.
/// </summary>
public abstract class FindOneEndpoint<TRequest, TResponse>(string route) : Endpoint<TRequest, TResponse>
    where TRequest : notnull
    where TResponse : class
{
    public override void Configure()
    {
        Get(route);
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public sealed override async Task HandleAsync(TRequest request, CancellationToken ct) =>
        await Send.OkAsync(await FindAsync(request, ct) ?? throw new NotFoundException([Missing(request)]), ct);

    protected abstract Task<TResponse?> FindAsync(TRequest request, CancellationToken ct);

    /// <summary>The field that named nothing, and how to say so (<c>training job '…' does not exist</c>).</summary>
    protected abstract FieldError Missing(TRequest request);
}
