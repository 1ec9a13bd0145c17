using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Domain;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>
/// feature-api over HTTP (service discovery: <c>http://feature-api</c>), the way any model of the store's users
/// would call it. An answer that is not a success becomes a problem naming what failed: feature-api's own 4xx
/// (a feature the model needs no longer exists, say) as 422 with its text, an unreachable feature-api (or its circuit open) as 503.
/// Two HttpClients with their own resilience pipelines (<see cref="FeatureApiResilience"/>): long work (training sets, datasets,
/// the consistency check) may take minutes, a prediction's online read gets seconds and a circuit of its own.
/// </summary>
public sealed class FeatureApiClient(IHttpClientFactory clients)
{
    public const string ServiceName = "feature-api";

    /// <summary>
    /// Online features of some entities, selected by (versioned) refs or by a feature service, with the on-demand
    /// request field <paramref name="asOfField"/> set to the same instant for every entity.
    /// </summary>
    public Task<JsonElement> OnlineAsync(string project, string entityKey, IReadOnlyList<object> ids, string asOfField, DateTimeOffset asOf,
        CancellationToken cancellationToken, IReadOnlyList<string>? features = null, string? featureService = null,
        string? onBehalfOf = null) =>
        OnlineAsync(clients.CreateClient(FeatureApiResilience.LongWork), project, entityKey, ids, asOfField, asOf, features,
            featureService, onBehalfOf, cancellationToken);

    /// <summary>One customer's online features for a prediction, through the serving pipeline: one attempt of at most
    /// <see cref="FeatureApiResilience.ServingAttempt"/>, refused at once while its circuit is open.</summary>
    /// <param name="onBehalfOf">The caller predicting (<see cref="Api.Security.OnBehalfOf"/>): the answer's <c>withheld</c> names
    /// the features they may not see.</param>
    /// <param name="model">The model and version reading (<c>churn/3</c>): feature-api counts usage per model.</param>
    public Task<JsonElement> OnlineForPredictionAsync(string project, string entityKey, object id, string asOfField, DateTimeOffset asOf,
        IReadOnlyList<string> features, string? onBehalfOf, string model, CancellationToken cancellationToken) =>
        OnlineAsync(clients.CreateClient(FeatureApiResilience.Serving), project, entityKey, [id], asOfField, asOf, features, null,
            onBehalfOf, cancellationToken, model);

    private static Task<JsonElement> OnlineAsync(HttpClient http, string project, string entityKey, IReadOnlyList<object> ids,
        string asOfField, DateTimeOffset asOf, IReadOnlyList<string>? features, string? featureService, string? onBehalfOf,
        CancellationToken cancellationToken, string? model = null)
    {
        var at = WireTime.Text(asOf);
        var request = new Dictionary<string, object>
        {
            ["project"] = project,
            ["entities"] = new Dictionary<string, object[]>
            { [entityKey] = ids.ToArray(), [asOfField] = ids.Select(_ => (object)at).ToArray() },
        };
        if (features is not null) request["features"] = features;
        if (featureService is not null) request["featureService"] = featureService;
        return SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/online-features") { Content = JsonContent.Create(request) };
            if (onBehalfOf is not null) message.Headers.Add(Api.Security.OnBehalfOf.Header, onBehalfOf);
            if (model is not null) message.Headers.Add(Api.Security.ReadingModel.Header, model);
            return http.SendAsync(message, cancellationToken);
        }, "online features", cancellationToken);
    }

    /// <summary>The features an online answer withholds from the caller named with <c>onBehalfOf</c> (none when it named none).</summary>
    public static List<string> Withheld(JsonElement answer) =>
        answer.TryGetProperty("withheld", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToList() : [];

    public Task<JsonElement> HistoricalAsync(object request, CancellationToken cancellationToken) =>
        SendAsync(() => clients.CreateClient(FeatureApiResilience.LongWork).PostAsJsonAsync("api/v1/historical-features", request,
            cancellationToken), "historical features", cancellationToken);

    public Task<JsonElement> DatasetAsync(string project, string name, CancellationToken cancellationToken) =>
        SendAsync(() => clients.CreateClient(FeatureApiResilience.LongWork)
                .GetAsync($"api/v1/datasets/{Uri.EscapeDataString(name)}?project={Uri.EscapeDataString(project)}", cancellationToken),
            "saved dataset", cancellationToken);

    private static async Task<JsonElement> SendAsync(Func<Task<HttpResponseMessage>> send, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception e) when (ServiceClients.IsUnavailable(e))
        {
            throw new DependencyUnavailableException([new FieldError(ServiceName,
                $"feature-api could not be reached for {what}: {Why(e)}")]);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new FeatureApiRejectedException((int)response.StatusCode, what, text);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }

    // The resilience pipeline's own refusals, in our words rather than Polly's: what happened, not which strategy said so.
    private static string Why(Exception e) => e switch
    {
        BrokenCircuitException => "its circuit is open after repeated failures (calls are refused until a probe after the break "
            + "gets an answer)",
        TimeoutRejectedException timeout => string.Create(CultureInfo.InvariantCulture,
            $"no answer within {timeout.Timeout.TotalSeconds:0.###} s"),
        _ => e.Message,
    };
}

/// <summary>
/// feature-api refused a request: 503 when one of its dependencies is down (try again shortly), 502 when it failed
/// itself, otherwise 422 (what the model asked for is not servable) with feature-api's own answer in the reason;
/// <see cref="RejectedFields"/> are the fields its problem named.
/// </summary>
public sealed class FeatureApiRejectedException(int featureApiStatus, string what, string answer)
    : FieldErrorsException(featureApiStatus == 503 ? 503 : featureApiStatus >= 500 ? 502 : 422,
        [new FieldError(FeatureApiClient.ServiceName, $"feature-api answered {featureApiStatus} for {what}: {answer}")])
{
    private readonly List<FieldError> _problemErrors = ErrorsOf(answer);

    public int FeatureApiStatus { get; } = featureApiStatus;

    public IReadOnlyList<string> RejectedFields => _problemErrors.Select(e => e.Field).ToList();

    /// <summary>feature-api could not serve because something it needs is down (502, 503, 504: its problem names what), as
    /// opposed to refusing what was asked (a 4xx) or failing by a bug of its own (a 500).</summary>
    public bool IsOutage => FeatureApiStatus is 502 or 503 or 504;

    /// <summary>"feature-api answered 503 (onlineStore: …)": the status and the fields its problem named, without the rest of
    /// the problem document.</summary>
    public string Summary => _problemErrors.Count == 0 ? $"feature-api answered {FeatureApiStatus}"
        : $"feature-api answered {FeatureApiStatus} ({string.Join("; ", _problemErrors.Select(e => $"{e.Field}: {e.Reason}"))})";

    private static List<FieldError> ErrorsOf(string answer)
    {
        try
        {
            using var problem = JsonDocument.Parse(answer);
            return problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? errors.EnumerateArray().Select(e => new FieldError(Text(e, "name"), Text(e, "reason"))).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Text(JsonElement error, string member) =>
        error.ValueKind == JsonValueKind.Object && error.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";
}
