using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

/// <summary>A request about one named object (a view, a source): its name (from the route), and its project.</summary>
public abstract class NamedRequest : IProjectScoped
{
    [RouteParam] public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary>A request about one feature view.</summary>
public abstract class ViewRequest : NamedRequest, IObjectScoped
{
    ObjectKind IObjectScoped.ObjectKind => ObjectKind.FeatureView;
    string IObjectScoped.ObjectName => Name;
}

/// <summary>A request that starts a job for a view.</summary>
public abstract class ViewJobRequest : ViewRequest
{
    /// <summary>How many partitions (by entity-key hash) the job splits into, for as many workers (default 1).</summary>
    public int? Partitions { get; set; }
}

/// <summary>
/// An endpoint answering from a view's history (jobs, offline files). A view that was deleted still has
/// one; a name that never existed is a 404, not an empty list that would hide a typo.
/// </summary>
[Access(FeatureAction.Describe)]
public abstract class ViewHistoryEndpoint<TRequest, TResponse>(IDefinitionStore store) : Endpoint<TRequest, TResponse>
    where TRequest : ViewRequest where TResponse : notnull
{
    protected IDefinitionStore Store => store;

    protected void Route(string route)
    {
        Get(route);
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    /// <summary>The request's project, once the view is known to have existed in it.</summary>
    protected async Task<string> ProjectOfKnownViewAsync(TRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        if (!await store.EverExistedAsync(project, ObjectKind.FeatureView, request.Name, ct))
            ThrowError(r => r.Name, $"feature view '{request.Name}' has never existed in project '{project}'", 404);
        return project;
    }
}

public static class ViewRequestRules
{
    public static void AddNameRules<TRequest>(this AbstractValidator<TRequest> validator) where TRequest : NamedRequest
    {
        validator.RuleFor(r => r.Name).MustBeName();
        validator.RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }

    public static void AddViewRules<TRequest>(this AbstractValidator<TRequest> validator) where TRequest : ViewRequest =>
        validator.AddNameRules();

    public static void AddJobRules<TRequest>(this AbstractValidator<TRequest> validator) where TRequest : ViewJobRequest
    {
        validator.AddViewRules();
        validator.RuleFor(r => r.Partitions).MustBePartitionCount();
    }

    /// <summary>How many partitions a job splits into: absent (one), or 1 to <see cref="JobLauncher.MaxPartitions"/>.</summary>
    public static IRuleBuilderOptions<T, int?> MustBePartitionCount<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(p => p is null or >= 1 and <= JobLauncher.MaxPartitions)
            .WithMessage($"must be between 1 and {JobLauncher.MaxPartitions}");
}
