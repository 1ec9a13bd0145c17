using FastEndpoints;
using FeatureStore.Domain;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

/// <summary>A request about what happened to a feature view over time: its name, and its project.</summary>
public abstract class ViewHistoryRequest
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary>
/// An endpoint answering from a view's history (jobs, offline files). A view that was deleted still has
/// one; a name that never existed is a 404, not an empty list that would hide a typo.
/// </summary>
public abstract class ViewHistoryEndpoint<TRequest, TResponse>(IRegistryStore store) : Endpoint<TRequest, TResponse>
    where TRequest : ViewHistoryRequest where TResponse : notnull
{
    protected IRegistryStore Store => store;

    protected void Route(string route)
    {
        Get(route);
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    /// <summary>The request's project, once the view is known to have existed in it.</summary>
    protected async Task<string> ProjectOfKnownViewAsync(TRequest request, CancellationToken ct)
    {
        var project = ProjectNames.Or(request.Project);
        if ((await store.ListVersionsAsync(project, ObjectKind.FeatureView, request.Name, ct)).Count == 0)
            ThrowError(r => r.Name, $"feature view '{request.Name}' has never existed in project '{project}'", 404);
        return project;
    }
}

public static class ViewHistoryRules
{
    public static void AddViewRules<TRequest>(this AbstractValidator<TRequest> validator) where TRequest : ViewHistoryRequest
    {
        validator.RuleFor(r => r.Name).MustBeName();
        validator.RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }
}
