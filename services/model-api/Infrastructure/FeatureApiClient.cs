using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Domain;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>
/// feature-api over HTTP (service discovery: <c>http://feature-api</c>), the way any model of the store's users
/// would call it. An answer that is not a success becomes a problem naming what failed: feature-api's own 4xx
/// (a feature the model needs no longer exists, say) as 422 with its text, an unreachable feature-api (or its circuit open) as 503.
/// </summary>
public sealed class FeatureApiClient(HttpClient http)
{
    public const string ServiceName = "feature-api";

    /// <summary>
    /// Online features of some entities, selected by (versioned) refs or by a feature service, with the on-demand
    /// request field <paramref name="asOfField"/> set to the same instant for every entity.
    /// </summary>
    public Task<JsonElement> OnlineAsync(string project, string entityKey, IReadOnlyList<object> ids, string asOfField, DateTimeOffset asOf,
        CancellationToken cancellationToken, IReadOnlyList<string>? features = null, string? featureService = null)
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
        return SendAsync(() => http.PostAsJsonAsync("api/v1/online-features", request, cancellationToken),
            "online features", cancellationToken);
    }

    public Task<JsonElement> HistoricalAsync(object request, CancellationToken cancellationToken) =>
        SendAsync(() => http.PostAsJsonAsync("api/v1/historical-features", request, cancellationToken),
            "historical features", cancellationToken);

    public Task<JsonElement> DatasetAsync(string project, string name, CancellationToken cancellationToken) =>
        SendAsync(() =>
                http.GetAsync($"api/v1/datasets/{Uri.EscapeDataString(name)}?project={Uri.EscapeDataString(project)}", cancellationToken),
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
                $"feature-api could not be reached for {what}: {e.Message}")]);
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
    public int FeatureApiStatus { get; } = featureApiStatus;

    public IReadOnlyList<string> RejectedFields { get; } = FieldsOf(answer);

    private static List<string> FieldsOf(string answer)
    {
        try
        {
            using var problem = JsonDocument.Parse(answer);
            return problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? errors.EnumerateArray().Select(e => e.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "").ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
