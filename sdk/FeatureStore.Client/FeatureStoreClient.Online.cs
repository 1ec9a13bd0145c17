using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Online features: the latest values of features, by references (<c>view:feature</c>) or a feature service.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Reads online features for entity rows given as columns (<c>{"customer_id": [1, 2]}</c>; request fields of on-demand
    /// views beside the join keys). A service of the store reading for someone says so in <paramref name="attribution"/>.</summary>
    public async Task<OnlineFeatures> GetOnlineFeaturesAsync(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities,
        IEnumerable<string>? features = null, string? featureService = null, string? project = null, bool fullFeatureNames = false,
        ReadAttribution? attribution = null, CancellationToken cancellationToken = default)
    {
        var request = new OnlineFeaturesRequestDto
        {
            Project = ProjectOf(project), Features = features?.ToList(), FeatureService = featureService,
            FullFeatureNames = fullFeatureNames,
            Entities = entities.ToDictionary(c => c.Key, c => c.Value.Select(v => JsonSerializer.SerializeToElement(v, Json)).ToList()),
        };
        var message = new HttpRequestMessage(HttpMethod.Post, "online-features") { Content = JsonContent.Create(request, options: Json) };
        if (attribution?.OnBehalfOf is { } caller) message.Headers.Add(FeatureStoreHeaders.OnBehalfOf, caller);
        if (attribution?.Model is { } model) message.Headers.Add(FeatureStoreHeaders.Model, model);
        return new OnlineFeatures(await ReadAsync<OnlineFeaturesResponseDto>(FeatureApi, message, cancellationToken));
    }

    /// <summary>
    /// The Feast guide's <c>get_features_for_prediction(customer_id)</c>: one entity's features from a feature service (by default
    /// <see cref="FeatureStoreClientOptions.PredictionFeatureService"/>), as a dictionary by feature name. Request fields of
    /// on-demand features (the churn sample's <c>as_of</c>) go in <paramref name="requestData"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, object?>> GetFeaturesForPredictionAsync(object entityId, string? featureService = null,
        IReadOnlyDictionary<string, object?>? requestData = null, CancellationToken cancellationToken = default)
    {
        var service = featureService ?? Options.PredictionFeatureService
            ?? throw new ArgumentException("name a feature service, or set PredictionFeatureService", nameof(featureService));
        var columns = new Dictionary<string, IReadOnlyList<object?>> { [Options.EntityKey] = [entityId] };
        foreach (var (name, value) in requestData ?? new Dictionary<string, object?>()) columns[name] = [value];
        var answer = await GetOnlineFeaturesAsync(columns, featureService: service, cancellationToken: cancellationToken);
        return answer.ToDictionary(0);
    }
}

/// <summary>
/// Who an online read is for, when a service of the store reads for someone (only the services' own credential is believed):
/// <see cref="OnBehalfOf"/> names the caller (<c>id|role,role</c>), and the answer's <see cref="OnlineFeatures.Withheld"/> lists
/// what they may not see; <see cref="Model"/> names the model and version reading (<c>churn/3</c>), for usage per model.
/// </summary>
public sealed record ReadAttribution(string? OnBehalfOf = null, string? Model = null);
