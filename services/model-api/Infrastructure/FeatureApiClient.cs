using FeatureStore.Api;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>
/// feature-api through the SDK (<see cref="FeatureStoreClient"/>), the way any model of the store's users would call it, over
/// model-api's own two HttpClients (<see cref="FeatureApiResilience"/>): long work (training sets, datasets, the consistency check)
/// may take minutes, a prediction's online read gets seconds and a circuit of its own. A refusal becomes a problem naming what
/// failed: feature-api's own 4xx (a feature the model needs no longer exists, say) as 422 with its text, an unreachable
/// feature-api (or its circuit open) as 503.
/// </summary>
public sealed class FeatureApiClient(IHttpClientFactory clients)
{
    public const string ServiceName = "feature-api";

    private readonly FeatureStoreClient _longWork = Over(clients, FeatureApiResilience.LongWork);
    private readonly FeatureStoreClient _serving = Over(clients, FeatureApiResilience.Serving);

    private static FeatureStoreClient Over(IHttpClientFactory clients, string name) =>
        new(new FeatureStoreClientOptions(), clients, new FeatureStoreHttpClientNames(null, name, null));

    /// <summary>
    /// Online features of some entities, selected by (versioned) refs or by a feature service, with the on-demand
    /// request field <paramref name="asOfField"/> set to the same instant for every entity.
    /// </summary>
    public Task<OnlineFeatures> OnlineAsync(string project, string entityKey, IReadOnlyList<object> ids, string asOfField,
        DateTimeOffset asOf, CancellationToken cancellationToken, IReadOnlyList<string>? features = null, string? featureService = null,
        string? onBehalfOf = null) =>
        CallAsync(() => _longWork.GetOnlineFeaturesAsync(Entities(entityKey, ids, asOfField, asOf), features, featureService, project,
            attribution: new ReadAttribution(onBehalfOf), cancellationToken: cancellationToken), "online features");

    /// <summary>One customer's online features for a prediction, through the serving pipeline: one attempt of at most
    /// <see cref="FeatureApiResilience.ServingAttempt"/>, refused at once while its circuit is open.</summary>
    /// <param name="onBehalfOf">The caller predicting (<see cref="Api.Security.OnBehalfOf"/>): the answer's <c>Withheld</c> names
    /// the features they may not see.</param>
    /// <param name="model">The model and version reading (<c>churn/3</c>): feature-api counts usage per model.</param>
    public Task<OnlineFeatures> OnlineForPredictionAsync(string project, string entityKey, object id, string asOfField,
        DateTimeOffset asOf, IReadOnlyList<string> features, string? onBehalfOf, string model, CancellationToken cancellationToken) =>
        CallAsync(() => _serving.GetOnlineFeaturesAsync(Entities(entityKey, [id], asOfField, asOf), features, project: project,
            attribution: new ReadAttribution(onBehalfOf, model), cancellationToken: cancellationToken), "online features");

    /// <summary>A training set of a feature service for labelled entity rows, saved as dataset <paramref name="saveAs"/>.</summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> TrainingSetAsync(string project, string featureService,
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, string saveAs, CancellationToken cancellationToken) =>
        CallAsync(() => _longWork.GetHistoricalFeaturesAsync(entityRows, featureService: featureService, project: project,
            saveAs: saveAs, cancellationToken: cancellationToken), "historical features");

    /// <summary>Point-in-time values of <paramref name="features"/>, answering where offline history has gaps (listed).</summary>
    public Task<HistoricalFeaturesWithGaps> OfflineAllowingGapsAsync(string project, IReadOnlyList<string> features,
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, CancellationToken cancellationToken) =>
        CallAsync(() => _longWork.GetHistoricalFeaturesAllowingGapsAsync(entityRows, features, project: project,
            cancellationToken: cancellationToken), "historical features");

    public Task<SavedDatasetDto> DatasetAsync(string project, string name, CancellationToken cancellationToken) =>
        CallAsync(() => _longWork.GetDatasetAsync(name, project, cancellationToken), "saved dataset");

    private static Dictionary<string, IReadOnlyList<object?>> Entities(string entityKey, IReadOnlyList<object> ids, string asOfField,
        DateTimeOffset asOf)
    {
        var at = WireTime.Text(asOf);
        return new Dictionary<string, IReadOnlyList<object?>>
        {
            [entityKey] = ids.ToArray(), [asOfField] = ids.Select(_ => (object?)at).ToArray(),
        };
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (FeatureStoreException e) when (!e.Answered)
        {
            throw new DependencyUnavailableException(
                [new FieldError(ServiceName, $"feature-api could not be reached for {what}: {e.Detail}")]);
        }
        catch (FeatureStoreException e)
        {
            throw new FeatureApiRejectedException(e, what);
        }
    }
}

/// <summary>
/// feature-api refused a request: 503 when one of its dependencies is down (try again shortly), 502 when it failed
/// itself, otherwise 422 (what the model asked for is not servable) with feature-api's own answer in the reason;
/// <see cref="RejectedFields"/> are the fields its problem named.
/// </summary>
public sealed class FeatureApiRejectedException(FeatureStoreException refusal, string what)
    : FieldErrorsException(refusal.Status == 503 ? 503 : refusal.Status >= 500 ? 502 : 422,
        [new FieldError(FeatureApiClient.ServiceName, $"feature-api answered {refusal.Status} for {what}: {refusal.Message}")])
{
    public int FeatureApiStatus => refusal.Status;

    public IReadOnlyList<string> RejectedFields => refusal.Fields.Select(f => f.Name).ToList();

    /// <summary>feature-api could not serve because something it needs is down (502, 503, 504: its problem names what), as
    /// opposed to refusing what was asked (a 4xx) or failing by a bug of its own (a 500).</summary>
    public bool IsOutage => FeatureApiStatus is 502 or 503 or 504;

    /// <summary>"feature-api answered 503 (onlineStore: …)": the status and the fields its problem named, without the rest of
    /// the problem document.</summary>
    public string Summary => refusal.Fields.Count == 0 ? $"feature-api answered {FeatureApiStatus}"
        : $"feature-api answered {FeatureApiStatus} ({string.Join("; ", refusal.Fields.Select(e => $"{e.Name}: {e.Reason}"))})";
}
