using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// The lineage of one feature among a project's live objects: upstream its view, that view's entities and source (and a push
/// source's batch source), or for an on-demand feature the view and the inputs its expression uses, followed back in turn;
/// downstream the on-demand features computed from it (followed on), the feature services serving it and the model versions
/// trained on or served from those services. Nodes are named <c>kind:name</c>, features <c>feature:view:feature</c> and
/// models <c>model:name@vN</c>; edges point downstream.
/// </summary>
public sealed class LineageWalk
{
    private readonly IReadOnlyList<IRegistryDefinition> _objects;
    private readonly IReadOnlyList<ModelUse> _models;
    private readonly Dictionary<string, LineageNodeDto> _nodes = [];
    private readonly HashSet<LineageEdgeDto> _edges = [];

    private LineageWalk(IReadOnlyList<IRegistryDefinition> objects, IReadOnlyList<ModelUse> models) =>
        (_objects, _models) = (objects, models);

    /// <summary>The lineage of <paramref name="view"/>:<paramref name="feature"/>, or null when no live view has that feature.</summary>
    public static (IReadOnlyList<LineageNodeDto> Nodes, IReadOnlyList<LineageEdgeDto> Edges)? Of(IReadOnlyList<IRegistryDefinition> objects,
        IReadOnlyList<ModelUse> models, string view, string feature)
    {
        var walk = new LineageWalk(objects, models);
        if (!walk.HasFeature(view, feature)) return null;
        walk.Upstream(view, feature);
        walk.Downstream(view, feature);
        return (walk._nodes.Values.ToList(), walk._edges.ToList());
    }

    private T? Find<T>(ObjectKind kind, string name) where T : class, IRegistryDefinition =>
        _objects.FirstOrDefault(o => o.Kind == kind && o.Name == name) as T;

    private IRegistryDefinition? View(string name) =>
        (IRegistryDefinition?)Find<FeatureViewDefinition>(ObjectKind.FeatureView, name)
            ?? Find<OnDemandFeatureViewDefinition>(ObjectKind.OnDemandFeatureView, name);

    private bool HasFeature(string view, string feature) => View(view) switch
    {
        FeatureViewDefinition v => v.FindFeature(feature) is not null,
        OnDemandFeatureViewDefinition o => o.FindFeature(feature) is not null,
        _ => false,
    };

    private string Node(IRegistryDefinition definition)
    {
        var id = $"{definition.Kind.ToName()}:{definition.Name}";
        _nodes.TryAdd(id, new LineageNodeDto(id, definition.Kind.ToName(), definition.Name, definition.Version));
        return id;
    }

    private string FeatureNode(string view, string feature)
    {
        var id = $"feature:{view}:{feature}";
        _nodes.TryAdd(id, new LineageNodeDto(id, "feature", $"{view}:{feature}", null));
        return id;
    }

    private void Upstream(string viewName, string feature)
    {
        var featureId = FeatureNode(viewName, feature);
        switch (View(viewName))
        {
            case FeatureViewDefinition view:
                var viewId = Node(view);
                _edges.Add(new LineageEdgeDto(viewId, featureId));
                foreach (var entity in view.Entities.Select(e => Find<EntityDefinition>(ObjectKind.Entity, e.Name))
                    .OfType<EntityDefinition>())
                    _edges.Add(new LineageEdgeDto(Node(entity), viewId));
                if (Find<DataSourceDefinition>(ObjectKind.DataSource, view.Source.Name) is { } source)
                {
                    _edges.Add(new LineageEdgeDto(Node(source), viewId));
                    if (source.BatchSource is { } batch && Find<DataSourceDefinition>(ObjectKind.DataSource, batch) is { } batchSource)
                        _edges.Add(new LineageEdgeDto(Node(batchSource), Node(source)));
                }
                break;
            case OnDemandFeatureViewDefinition onDemand:
                _edges.Add(new LineageEdgeDto(Node(onDemand), featureId));
                foreach (var input in OnDemandSql.InputsOf(onDemand, onDemand.FindFeature(feature)!))
                {
                    _edges.Add(new LineageEdgeDto(FeatureNode(input.View, input.Feature), featureId));
                    Upstream(input.View, input.Feature);
                }
                break;
        }
    }

    private void Downstream(string viewName, string feature)
    {
        var featureId = FeatureNode(viewName, feature);
        foreach (var onDemand in _objects.OfType<OnDemandFeatureViewDefinition>()
            .Where(o => o.Inputs.Any(i => i.View == viewName && i.Feature == feature)))
            foreach (var derived in onDemand.Features.Where(f => OnDemandSql.Uses(f.Expression, viewName, feature)))
            {
                var derivedId = FeatureNode(onDemand.Name, derived.Name);
                _edges.Add(new LineageEdgeDto(featureId, derivedId));
                _edges.Add(new LineageEdgeDto(Node(onDemand), derivedId));
                Downstream(onDemand.Name, derived.Name);
            }
        foreach (var service in _objects.OfType<FeatureServiceDefinition>()
            .Where(s => s.Features.Any(f => f.View == viewName && f.Feature == feature)))
        {
            var serviceId = Node(service);
            _edges.Add(new LineageEdgeDto(featureId, serviceId));
            // The model versions trained on or served from this service (any of its versions), as model-api reported them.
            foreach (var use in _models.Where(m => m.FeatureService == service.Name))
            {
                var modelId = $"model:{use.Model}@v{use.Version}";
                _nodes.TryAdd(modelId, new LineageNodeDto(modelId, "model", use.Model, use.Version));
                _edges.Add(new LineageEdgeDto(serviceId, modelId));
            }
        }
    }
}
