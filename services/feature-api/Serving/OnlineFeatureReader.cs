using System.Text.Json;
using FeatureStore.Api;
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
        var errors = new List<FieldError>();
        var features = await ResolveFeaturesAsync(project, request.Features!, request.FullFeatureNames, errors, cancellationToken);
        var entities = request.Entities!;
        var rowCount = entities.Values.First().Count;
        var keysBySet = ResolveEntityKeys(features, entities, rowCount, errors);
        if (errors.Count > 0) throw FieldErrors.BadRequest(errors);

        // One read per set of join keys (views keyed alike share it); issued together, they travel as one round trip.
        var groups = features.GroupBy(f => KeySet(f.View)).Select(group =>
        {
            var viewNames = group.Select(f => f.View.Name).Distinct().ToList();
            return (Keys: group.Key, Views: viewNames, Read: store.ReadAsync(project, keysBySet[group.Key], viewNames, cancellationToken));
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
                var group = groups.First(g => g.Keys == KeySet(feature.View));
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
        List<FieldError> errors, CancellationToken cancellationToken)
    {
        var resolved = new List<ResolvedFeature>();
        var outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < references.Count; i++)
        {
            var field = $"features[{i}]";
            if (!FeatureRef.TryParse(references[i], out var reference)) { errors.Add(new FieldError(field, $"must be {FeatureRef.Format}")); continue; }
            var view = await views.GetAsync(project, reference.View, reference.Version, cancellationToken);
            if (view is null)
            {
                var which = reference.Version is { } v ? $"version {v} of feature view '{reference.View}'" : $"feature view '{reference.View}'";
                errors.Add(new FieldError(field, $"{which} does not exist in project '{project}'"));
                continue;
            }
            if (view.FindFeature(reference.Feature) is null)
            {
                errors.Add(new FieldError(field, $"feature view '{view.Name}' (v{view.Version}) has no feature '{reference.Feature}'"));
                continue;
            }
            var output = reference.OutputName(fullNames);
            if (outputs.TryGetValue(output, out var first))
            {
                errors.Add(new FieldError(field, $"its output name '{output}' is also the name of features[{first}]; ask for fullFeatureNames"));
                continue;
            }
            outputs[output] = i;
            resolved.Add(new ResolvedFeature(reference, view, output));
        }
        return resolved;
    }

    /// <summary>The join keys a view is read by, as one text: "customer_id" or "order_id,store_id".</summary>
    private static string KeySet(FeatureViewDefinition view) => string.Join(',', view.JoinKeys.Select(k => k.Name).Order(StringComparer.Ordinal));

    private static Dictionary<string, EntityKey[]> ResolveEntityKeys(List<ResolvedFeature> features,
        Dictionary<string, List<JsonElement>> entities, int rowCount, List<FieldError> errors)
    {
        var keys = new Dictionary<string, EntityKey[]>(StringComparer.Ordinal);
        var badValues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in features.Select(f => f.View).DistinctBy(KeySet))
        {
            var missing = view.JoinKeys.Where(k => !entities.ContainsKey(k.Name)).ToList();
            if (missing.Count > 0)
            {
                var needing = features.Where(f => KeySet(f.View) == KeySet(view)).Select(f => f.View.Name).Distinct();
                errors.Add(new FieldError("entities", $"has no {string.Join(", ", missing.Select(k => $"'{k.Name}'"))} column, needed by {string.Join(", ", needing)}"));
                continue;
            }
            var resolved = new EntityKey[rowCount];
            for (var row = 0; row < rowCount; row++)
            {
                var parts = new List<KeyValuePair<string, string>>(view.JoinKeys.Count);
                foreach (var key in view.JoinKeys)
                {
                    if (EntityKey.ValueText(key.Type, entities[key.Name][row]) is { } text) parts.Add(new(key.Name, text));
                    else if (badValues.Add($"{key.Name}[{row}]"))
                        errors.Add(new FieldError($"entities.{key.Name}[{row}]", $"must be a {key.Type.ToName()} (the type of join key '{key.Name}')"));
                }
                if (parts.Count == view.JoinKeys.Count) resolved[row] = EntityKey.Compose(parts);
            }
            keys[KeySet(view)] = resolved;
        }
        var used = features.SelectMany(f => f.View.JoinKeys).Select(k => k.Name).ToHashSet();
        foreach (var unused in entities.Keys.Where(k => features.Count > 0 && !used.Contains(k)))
            errors.Add(new FieldError($"entities.{unused}", "is not a join key of any requested feature view"));
        return keys;
    }
}
