using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Discovery;

public sealed class SearchFeaturesRequest : IProjectScoped
{
    [QueryParam] public string? Project { get; set; }
    /// <summary>Text searched in feature names and descriptions, view names, owners and tag values.</summary>
    [QueryParam] public string? Q { get; set; }
    [QueryParam] public string? Type { get; set; }
}

/// <summary><c>GET /api/v1/features?q=&amp;type=</c>: features across feature views and on-demand views.</summary>
[Access(FeatureAction.Describe)]
public sealed class SearchFeatures(IDefinitionStore store) : Endpoint<SearchFeaturesRequest, List<FeatureHitDto>>
{
    public override void Configure()
    {
        Get("features");
    }

    public override async Task HandleAsync(SearchFeaturesRequest request, CancellationToken ct)
    {
        var objects = await store.ListObjectsAsync(Names.ProjectOrDefault(request.Project), null, ct);
        var views = objects.Where(o => o.Kind == ObjectKind.FeatureView).Select(o => o.Read<FeatureViewDefinition>())
            .ToDictionary(v => v.Name);
        var hits = new List<FeatureHitDto>();
        foreach (var view in views.Values)
            hits.AddRange(view.Features.Select(f =>
                Hit(view, f.Name, f.Type, f.Description, ObjectFilters.Entities(view, views), view.TagsOf(f.Name))));
        foreach (var onDemand in objects.Where(o => o.Kind == ObjectKind.OnDemandFeatureView)
            .Select(o => o.Read<OnDemandFeatureViewDefinition>()))
            hits.AddRange(onDemand.Features.Select(f =>
                Hit(onDemand, f.Name, f.Type, f.Description, ObjectFilters.Entities(onDemand, views), onDemand.Metadata.Tags)));
        var type = FeatureValueTypes.TryParse(request.Type, out var t) ? t.ToName() : null;
        await Send.OkAsync(hits.Where(h => type is null || h.Type == type).Where(h => Matches(h, request.Q))
            .OrderBy(h => h.Ref, StringComparer.Ordinal).ToList(), ct);
    }

    private static FeatureHitDto Hit(IRegistryDefinition view, string feature, FeatureValueType type, string? description,
        IEnumerable<string> entities, IReadOnlyDictionary<string, string> tags) => new(
        $"{view.Name}:{feature}", view.Kind.ToName(), view.Name, view.Version, feature, type.ToName(),
        description ?? view.Metadata.Description, view.Metadata.Owner, tags, entities.Distinct().ToList());

    private static bool Matches(FeatureHitDto hit, string? q) =>
        q is not { Length: > 0 } || new[] { hit.Feature, hit.View, hit.Description, hit.Owner }.Concat(hit.Tags.Values)
            .Any(text => text?.Contains(q, StringComparison.OrdinalIgnoreCase) == true);
}

public sealed class SearchFeaturesValidator : Validator<SearchFeaturesRequest>
{
    public SearchFeaturesValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Q).MaximumLength(256).WithMessage("must be at most 256 characters");
        RuleFor(r => r.Type).Must(t => FeatureValueTypes.TryParse(t, out _))
            .WithMessage($"must be one of {string.Join(", ", FeatureValueTypes.KnownNames)}").When(r => r.Type is not null);
    }
}
