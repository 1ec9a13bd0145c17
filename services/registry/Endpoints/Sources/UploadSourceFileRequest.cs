using FastEndpoints;
using FeatureStore.Registry.Endpoints.Materializations;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Sources;

/// <summary>The route and query of an upload; the body is the file itself, read by the endpoint as a stream.</summary>
public sealed class UploadSourceFileRequest : NamedRequest;

/// <summary>
/// Binds the route and the query only. FastEndpoints' own binder would read a JSON or form body into the request;
/// here the body is the file, so it is never touched before the endpoint streams it to disk.
/// </summary>
public sealed class UploadSourceFileBinder : IRequestBinder<UploadSourceFileRequest>
{
    public ValueTask<UploadSourceFileRequest> BindAsync(BinderContext context, CancellationToken cancellationToken)
    {
        var request = context.HttpContext.Request;
        return ValueTask.FromResult(new UploadSourceFileRequest
        {
            Name = request.RouteValues["name"]?.ToString() ?? "",
            Project = request.Query.TryGetValue("project", out var project) ? project.ToString() : null,
        });
    }
}

public sealed class UploadSourceFileValidator : Validator<UploadSourceFileRequest>
{
    public UploadSourceFileValidator()
    {
        this.AddNameRules();
    }
}
