using FeatureStore.Api;
using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Definitions;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Discovery;

public sealed class LineageRequest
{
    [QueryParam] public string? Project { get; set; }
    /// <summary>The feature, as <c>view:feature</c>.</summary>
    [QueryParam] public string? Feature { get; set; }
}

/// <summary>
/// <c>GET /api/v1/lineage?feature=view:feature</c>: the feature's upstream (sources, entities, views, and the
/// inputs of an on-demand feature) and downstream (on-demand features computed from it, feature services, and
/// the model versions trained on or served from those services).
/// </summary>
public sealed class GetLineage(IDefinitionStore store, IModelUseStore modelUses) : Endpoint<LineageRequest, LineageDto>
{
    public override void Configure()
    {
        Get("lineage");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(LineageRequest request, CancellationToken ct)
    {
        FeatureRef.TryParse(request.Feature, out var reference);
        var objects = (await store.ListObjectsAsync(Names.ProjectOrDefault(request.Project), null, ct)).Select(o => o.Read()).ToList();
        var graph = new Graph(objects, await modelUses.ListModelUsesAsync(Names.ProjectOrDefault(request.Project), ct));
        if (!graph.HasFeature(reference.View, reference.Feature))
            ThrowError(r => r.Feature, $"'{request.Feature}' is not a feature of a live feature view or on-demand feature view", 404);
        graph.Upstream(reference.View, reference.Feature);
        graph.Downstream(reference.View, reference.Feature);
        await Send.OkAsync(new LineageDto(request.Feature!, graph.Nodes.Values.ToList(), graph.Edges.ToList()), ct);
    }

    private sealed class Graph(List<IRegistryDefinition> objects, IReadOnlyList<ModelUse> models)
    {
        public Dictionary<string, LineageNodeDto> Nodes { get; } = [];
        public HashSet<LineageEdgeDto> Edges { get; } = [];

        private T? Find<T>(ObjectKind kind, string name) where T : class, IRegistryDefinition =>
            objects.FirstOrDefault(o => o.Kind == kind && o.Name == name) as T;

        private IRegistryDefinition? View(string name) =>
            (IRegistryDefinition?)Find<FeatureViewDefinition>(ObjectKind.FeatureView, name) ?? Find<OnDemandFeatureViewDefinition>(ObjectKind.OnDemandFeatureView, name);

        public bool HasFeature(string view, string feature) => View(view) switch
        {
            FeatureViewDefinition v => v.FindFeature(feature) is not null,
            OnDemandFeatureViewDefinition o => o.FindFeature(feature) is not null,
            _ => false,
        };

        private string Node(IRegistryDefinition definition)
        {
            var id = $"{definition.Kind.ToName()}:{definition.Name}";
            Nodes.TryAdd(id, new LineageNodeDto(id, definition.Kind.ToName(), definition.Name, definition.Version));
            return id;
        }

        private string FeatureNode(string view, string feature)
        {
            var id = $"feature:{view}:{feature}";
            Nodes.TryAdd(id, new LineageNodeDto(id, "feature", $"{view}:{feature}", null));
            return id;
        }

        public void Upstream(string viewName, string feature)
        {
            var featureId = FeatureNode(viewName, feature);
            switch (View(viewName))
            {
                case FeatureViewDefinition view:
                    var viewId = Node(view);
                    Edges.Add(new LineageEdgeDto(viewId, featureId));
                    foreach (var entity in view.Entities.Select(e => Find<EntityDefinition>(ObjectKind.Entity, e.Name)).OfType<EntityDefinition>())
                        Edges.Add(new LineageEdgeDto(Node(entity), viewId));
                    if (Find<DataSourceDefinition>(ObjectKind.DataSource, view.Source.Name) is { } source)
                    {
                        Edges.Add(new LineageEdgeDto(Node(source), viewId));
                        if (source.BatchSource is { } batch && Find<DataSourceDefinition>(ObjectKind.DataSource, batch) is { } batchSource)
                            Edges.Add(new LineageEdgeDto(Node(batchSource), Node(source)));
                    }
                    break;
                case OnDemandFeatureViewDefinition onDemand:
                    Edges.Add(new LineageEdgeDto(Node(onDemand), featureId));
                    foreach (var input in OnDemandSql.InputsOf(onDemand, onDemand.FindFeature(feature)!))
                    {
                        Edges.Add(new LineageEdgeDto(FeatureNode(input.View, input.Feature), featureId));
                        Upstream(input.View, input.Feature);
                    }
                    break;
            }
        }

        public void Downstream(string viewName, string feature)
        {
            var featureId = FeatureNode(viewName, feature);
            foreach (var onDemand in objects.OfType<OnDemandFeatureViewDefinition>().Where(o => o.Inputs.Any(i => i.View == viewName && i.Feature == feature)))
                foreach (var derived in onDemand.Features.Where(f => OnDemandSql.Uses(f.Expression, viewName, feature)))
                {
                    var derivedId = FeatureNode(onDemand.Name, derived.Name);
                    Edges.Add(new LineageEdgeDto(featureId, derivedId));
                    Edges.Add(new LineageEdgeDto(Node(onDemand), derivedId));
                    Downstream(onDemand.Name, derived.Name);
                }
            foreach (var service in objects.OfType<FeatureServiceDefinition>().Where(s => s.Features.Any(f => f.View == viewName && f.Feature == feature)))
            {
                var serviceId = Node(service);
                Edges.Add(new LineageEdgeDto(featureId, serviceId));
                // The model versions trained on or served from this service (any of its versions), as model-api reported them.
                foreach (var use in models.Where(m => m.FeatureService == service.Name))
                {
                    var modelId = $"model:{use.Model}@v{use.Version}";
                    Nodes.TryAdd(modelId, new LineageNodeDto(modelId, "model", use.Model, use.Version));
                    Edges.Add(new LineageEdgeDto(serviceId, modelId));
                }
            }
        }
    }
}

public sealed class LineageRequestValidator : Validator<LineageRequest>
{
    public LineageRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Feature).Must(f => FeatureRef.TryParse(f, out var r) && r.Version is null).WithMessage("is required: a feature as 'view:feature'");
    }
}
