using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class EntityFeaturesRequest : IProjectScoped, IFeatureReading
{
    public string Entity { get; set; } = "";
    public string Id { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
}

/// <summary>
/// <c>GET /api/v1/entities/{entity}/{id}</c>: every online feature of one entity, from every online view of
/// that entity, with full feature names (<c>view__feature</c>) so views never collide.
/// </summary>
[Access(FeatureAction.ReadOnline)]
public sealed class GetEntityFeatures(DefinitionCache definitions, OnlineFeatureReader reader, ServingMetrics metrics)
    : Endpoint<EntityFeaturesRequest, OnlineFeaturesResponseDto>
{
    public override void Configure()
    {
        Get("entities/{entity}/{id}");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Online));
        Description(d => d.Produces<OnlineFeaturesResponseDto>(200, "application/json")
            .Produces<ProblemDocument>(404, "application/problem+json").Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(EntityFeaturesRequest request, CancellationToken ct)
    {
        using var timer = metrics.Time("entities");
        var project = Names.ProjectOrDefault(request.Project);
        var entity = await definitions.GetAsync<EntityDefinition>(project, request.Entity, null, ct);
        if (entity is null) ThrowError(r => r.Entity, $"entity '{request.Entity}' does not exist in project '{project}'", 404);
        if (entity.JoinKeys.Count != 1)
            ThrowError(r => r.Id,
                $"entity '{entity.Name}' has {entity.JoinKeys.Count} join keys; read it with POST /api/v1/online-features");
        var key = entity.JoinKeys[0];
        var id = IdValue(key.Type, request.Id);
        if (id is null) ThrowError(r => r.Id, $"must be a {key.Type.ToName()} (the type of join key '{key.Name}')");
        var views = (await definitions.ListAsync<FeatureViewDefinition>(project, ct))
            .Where(v => v.Online && v.Entities.Count == 1 && v.Entities[0].Name == entity.Name)
            .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        var entities = new Dictionary<string, List<System.Text.Json.JsonElement>> { [key.Name] = [id.Value] };
        var answer = views.Count == 0
            ? new OnlineReadResult([], [], [], entities, 1, new FeatureReadings(0, 1))
            : await reader.ReadAsync(new OnlineFeaturesRequestDto
            {
                Project = project, Entities = entities, FullFeatureNames = true,
                Features = views.SelectMany(v => v.Features.Select(f => $"{v.Name}:{f.Name}")).ToList(),
            }, SelectionFields.Api, ReadCaller.Of(HttpContext, "entities"), ct);
        await OnlineResponseJson.SendAsync(HttpContext.Response, answer, feast: false, ct);
    }

    /// <summary>The id from the path as the JSON value of its join key's type, or null when it is not one.</summary>
    private static System.Text.Json.JsonElement? IdValue(FeatureValueType type, string id) => type switch
    {
        FeatureValueType.Int32 when int.TryParse(id, System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var i)
            => FeatureValues.ToJsonElement(i),
        FeatureValueType.Int64 when long.TryParse(id, System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var l)
            => FeatureValues.ToJsonElement(l),
        FeatureValueType.String => FeatureValues.ToJsonElement(id),
        _ => null,
    };
}

public sealed class EntityFeaturesRequestValidator : Validator<EntityFeaturesRequest>
{
    public EntityFeaturesRequestValidator()
    {
        RuleFor(r => r.Entity).MustBeName();
        RuleFor(r => r.Id).NotEmpty().WithMessage("must be the entity's join-key value");
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
    }
}
