using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.Storage.Online;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>
/// Answers an online-features request: resolves feature references against cached definitions, turns
/// entity values into keys, reads the online store once per join key (concurrently, so one round trip),
/// and reports value, status and event time per entity and feature (DESIGN.md, online read).
/// </summary>
public sealed class OnlineFeatureReader(FeatureViewCache views, IOnlineStore store, TimeProvider clock)
{
    private sealed record ResolvedFeature(FeatureRef Ref, FeatureViewDefinition View, string OutputName);

    public async Task<OnlineFeaturesResponseDto> ReadAsync(OnlineFeaturesRequestDto request, CancellationToken cancellationToken)
    {
        var project = request.Project ?? Names.DefaultProject;
        var errors = new List<RequestError>();
        var features = await ResolveFeaturesAsync(project, request.Features!, request.FullFeatureNames, errors, cancellationToken);
        var entities = request.Entities!;
        var rowCount = entities.Values.First().Count;
        var keysByJoinKey = ResolveEntityKeys(features, entities, rowCount, errors);
        if (errors.Count > 0) throw new InvalidRequestException(errors);

        // One read per join key (views sharing a key share the read); issued together, they travel as one round trip.
        var groups = features.GroupBy(f => f.View.Entity.JoinKey).Select(group =>
        {
            var viewNames = group.Select(f => f.View.Name).Distinct().ToList();
            return (JoinKey: group.Key, Views: viewNames, Read: store.ReadAsync(project, keysByJoinKey[group.Key], viewNames, cancellationToken));
        }).ToList();
        await Task.WhenAll(groups.Select(g => g.Read));

        var now = clock.GetUtcNow();
        var rows = new List<OnlineFeatureRowDto>(rowCount);
        for (var row = 0; row < rowCount; row++)
        {
            var values = new Dictionary<string, JsonElement?>(features.Count);
            var statuses = new Dictionary<string, FeatureStatus>(features.Count);
            var eventTimes = new Dictionary<string, DateTimeOffset?>(features.Count);
            foreach (var feature in features)
            {
                var group = groups.First(g => g.JoinKey == feature.View.Entity.JoinKey);
                var entry = group.Read.Result[row * group.Views.Count + group.Views.IndexOf(feature.View.Name)];
                JsonElement value = default;
                var found = entry is not null && entry.TryGetValue(feature.Ref.Feature, out value);
                var status = FeatureStatuses.Classify(found, found && value.ValueKind == JsonValueKind.Null,
                    entry?.Time.EventTime ?? default, feature.View.Ttl, now);
                values[feature.OutputName] = status.CarriesValue() ? value : null;
                statuses[feature.OutputName] = status;
                eventTimes[feature.OutputName] = entry?.Time.EventTime;
            }
            rows.Add(new OnlineFeatureRowDto(entities.ToDictionary(e => e.Key, e => e.Value[row]), values, statuses, eventTimes));
        }
        return new OnlineFeaturesResponseDto(features.Select(f => f.OutputName).ToList(), rows);
    }

    private async Task<List<ResolvedFeature>> ResolveFeaturesAsync(string project, IReadOnlyList<string> references, bool fullNames,
        List<RequestError> errors, CancellationToken cancellationToken)
    {
        var resolved = new List<ResolvedFeature>();
        var outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < references.Count; i++)
        {
            var field = $"features[{i}]";
            if (!FeatureRef.TryParse(references[i], out var reference)) { errors.Add(new(field, $"must be {FeatureRef.Format}")); continue; }
            var view = await views.GetAsync(project, reference.View, reference.Version, cancellationToken);
            if (view is null)
            {
                var which = reference.Version is { } v ? $"version {v} of feature view '{reference.View}'" : $"feature view '{reference.View}'";
                errors.Add(new(field, $"{which} does not exist in project '{project}'"));
                continue;
            }
            if (view.FindFeature(reference.Feature) is null)
            {
                errors.Add(new(field, $"feature view '{view.Name}' (v{view.Version}) has no feature '{reference.Feature}'"));
                continue;
            }
            var output = reference.OutputName(fullNames);
            if (outputs.TryGetValue(output, out var first))
            {
                errors.Add(new(field, $"its output name '{output}' is also the name of features[{first}]; ask for fullFeatureNames"));
                continue;
            }
            outputs[output] = i;
            resolved.Add(new ResolvedFeature(reference, view, output));
        }
        return resolved;
    }

    private static Dictionary<string, EntityKey[]> ResolveEntityKeys(List<ResolvedFeature> features,
        Dictionary<string, List<JsonElement>> entities, int rowCount, List<RequestError> errors)
    {
        var keys = new Dictionary<string, EntityKey[]>(StringComparer.Ordinal);
        foreach (var entity in features.Select(f => f.View.Entity).DistinctBy(e => e.JoinKey))
        {
            if (!entities.TryGetValue(entity.JoinKey, out var column))
            {
                var needing = features.Where(f => f.View.Entity.JoinKey == entity.JoinKey).Select(f => f.View.Name).Distinct();
                errors.Add(new("entities", $"has no '{entity.JoinKey}' column, the join key of {string.Join(", ", needing)}"));
                continue;
            }
            var resolved = new EntityKey[rowCount];
            for (var row = 0; row < rowCount; row++)
            {
                if (EntityKey.ValueText(entity.JoinKeyType, column[row]) is { } text) resolved[row] = EntityKey.Single(entity.JoinKey, text);
                else errors.Add(new($"entities.{entity.JoinKey}[{row}]", $"must be a {entity.JoinKeyType.ToName()} (the type of join key '{entity.JoinKey}')"));
            }
            keys[entity.JoinKey] = resolved;
        }
        foreach (var unused in entities.Keys.Where(k => features.Count > 0 && !keys.ContainsKey(k) && features.All(f => f.View.Entity.JoinKey != k)))
            errors.Add(new($"entities.{unused}", "is not the join key of any requested feature view"));
        return keys;
    }
}
