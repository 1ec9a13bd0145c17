using FastEndpoints;
using FeatureStore.Domain;
using FeatureStore.Registry.Endpoints.Materializations;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Offline;

/// <summary>A request about the offline history of one version of a view, possibly as it was after an earlier commit.</summary>
public abstract class ViewVersionRequest : ViewRequest
{
    /// <summary>The version whose history to read; the latest version that is not a deletion when absent.</summary>
    [QueryParam] public int? Version { get; set; }

    /// <summary>Reads the history as it was right after this commit (time travel); its latest commit when absent.</summary>
    [QueryParam] public long? AsOf { get; set; }
}

/// <summary>An endpoint answering from the offline history a view version reads (<see cref="ViewHistory"/>).</summary>
public abstract class ViewVersionEndpoint<TRequest, TResponse>(IDefinitionStore store) : ViewHistoryEndpoint<TRequest, TResponse>(store)
    where TRequest : ViewVersionRequest where TResponse : notnull
{
    /// <summary>The project, the versions of the view, and the one asked for (404 when it does not exist or is a deletion).</summary>
    protected async Task<(string Project, IReadOnlyList<FeatureViewDefinition> Versions, FeatureViewDefinition View)> VersionAsync(
        TRequest request,
        CancellationToken ct)
    {
        var project = await ProjectOfKnownViewAsync(request, ct);
        var versions = (await Store.ListVersionsAsync(project, ObjectKind.FeatureView, request.Name, ct))
            .Where(v => !v.Deleted).Select(v => v.Read<FeatureViewDefinition>()).ToList();
        var view = request.Version is { } wanted ? versions.FirstOrDefault(v => v.Version == wanted) : versions.LastOrDefault();
        if (view is null)
            ThrowError(r => r.Version!, request.Version is null
                ? $"feature view '{request.Name}' has no version that is not a deletion"
                : $"version {request.Version} of feature view '{request.Name}' does not exist in project '{project}' " +
                    "(or is a deletion)", 404);
        return (project, versions, view);
    }
}

public static class ViewVersionRequestRules
{
    public static void AddViewVersionRules<TRequest>(this AbstractValidator<TRequest> validator) where TRequest : ViewVersionRequest
    {
        validator.AddViewRules();
        validator.RuleFor(r => r.Version).GreaterThan(0).WithMessage("must be 1 or more").When(r => r.Version is not null);
        validator.RuleFor(r => r.AsOf).GreaterThanOrEqualTo(0).WithMessage("must be a commit sequence: 0 or more")
            .When(r => r.AsOf is not null);
    }
}
