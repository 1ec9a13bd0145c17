using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FeatureStore.Client;

/// <summary>
/// The feature store from .NET: one object for the registry (repositories, discovery, materializations, sources), feature-api
/// (online and historical features, pushes, datasets) and model-api (the churn model). Every call is HTTP with the standard
/// resilience handler (retries of safe requests, timeouts, a circuit breaker); a refusal throws <see cref="FeatureStoreException"/>
/// with the service's problem. Thread-safe; make one and keep it.
/// </summary>
public sealed partial class FeatureStoreClient : IDisposable
{
    private readonly ServiceProvider? _owned;
    private readonly HttpClient? _registry;
    private readonly HttpClient? _featureApi;
    private readonly HttpClient? _modelApi;

    public FeatureStoreClientOptions Options { get; }

    /// <summary>A client of its own (its own connection pool and resilience pipelines).</summary>
    public FeatureStoreClient(FeatureStoreClientOptions options)
    {
        var services = new ServiceCollection();
        services.AddFeatureStoreHttpClients(options);
        _owned = services.BuildServiceProvider();
        Options = options;
        (_registry, _featureApi, _modelApi) = Clients(_owned.GetRequiredService<IHttpClientFactory>());
    }

    /// <summary>A client over clients a host made (<see cref="FeatureStoreClientRegistration.AddFeatureStoreClient"/>).</summary>
    public FeatureStoreClient(FeatureStoreClientOptions options, IHttpClientFactory factory)
    {
        Options = options;
        (_registry, _featureApi, _modelApi) = Clients(factory);
    }

    /// <summary>A client over HttpClients a host named and configured itself (its own resilience, credentials, addresses): a
    /// service of the store calling another keeps its pipelines. Each needs its service's API root as base address
    /// (<c>http://feature-api/api/v1/</c>); a service left unnamed cannot be called through this client.</summary>
    public FeatureStoreClient(FeatureStoreClientOptions options, IHttpClientFactory factory, FeatureStoreHttpClientNames names)
    {
        Options = options;
        (_registry, _featureApi, _modelApi) = Clients(factory, names);
    }

    private static (HttpClient? Registry, HttpClient? FeatureApi, HttpClient? ModelApi) Clients(IHttpClientFactory factory,
        FeatureStoreHttpClientNames? names = null)
    {
        names ??= FeatureStoreHttpClientNames.Default;
        return (Create(names.Registry), Create(names.FeatureApi), Create(names.ModelApi));
        HttpClient? Create(string? name) => name is null ? null : factory.CreateClient(name);
    }

    private HttpClient Registry => _registry ?? throw Unnamed("registry");
    private HttpClient FeatureApi => _featureApi ?? throw Unnamed("feature-api");
    private HttpClient ModelApi => _modelApi ?? throw Unnamed("model-api");

    private static InvalidOperationException Unnamed(string service) =>
        new($"this client was made without an HttpClient for {service} (FeatureStoreHttpClientNames)");

    public void Dispose() => _owned?.Dispose();

    internal static class Names
    {
        public const string Registry = "FeatureStore.Registry";
        public const string FeatureApi = "FeatureStore.FeatureApi";
        public const string ModelApi = "FeatureStore.ModelApi";
    }

    /// <summary>JSON as the services write it: camelCase, enums as camelCase text, instants as <see cref="WireTime"/>.</summary>
    public static JsonSerializerOptions Json { get; } =
        JsonConventions.AddConverters(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private string? ProjectOf(string? project) => project ?? Options.Project;

    /// <summary><paramref name="path"/> with <c>project=</c> added when a project applies.</summary>
    private string WithProject(string path, string? project) =>
        ProjectOf(project) is { } name ? $"{path}{(path.Contains('?') ? '&' : '?')}project={Uri.EscapeDataString(name)}" : path;

    /// <summary><paramref name="path"/> with the query parameters that have a value, escaped; instants as the wire writes them.
    /// </summary>
    private static string Query(string path, params (string Name, object? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null and not "").Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value switch
        {
            DateTimeOffset at => WireTime.Text(at),
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other!.ToString()!,
        })}").ToList();
        return present.Count == 0 ? path : $"{path}?{string.Join('&', present)}";
    }

    private async Task<T> ReadAsync<T>(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, request, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
               ?? throw new FeatureStoreException((int)response.StatusCode, "empty answer", null, []);
    }

    private Task<T> GetAsync<T>(HttpClient http, string path, CancellationToken cancellationToken) =>
        ReadAsync<T>(http, new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    private Task<T> PostAsync<T>(HttpClient http, string path, object? body, CancellationToken cancellationToken) =>
        ReadAsync<T>(http, new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) },
            cancellationToken);

    /// <summary>Sends, and throws the service's problem unless it answered 2xx (the caller disposes the response).</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using (request)
        {
            // Per request, not on the HttpClient: clients of different keys (a web app's signed-in users) share one handler pool.
            if (Options.ApiKey is { Length: > 0 } key) request.Headers.Add(FeatureStoreHeaders.ApiKey, key);
            HttpResponseMessage response;
            try { response = await http.SendAsync(request, completion, cancellationToken); }
            catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException)
            {
                throw new FeatureStoreException(503, $"{http.BaseAddress} could not be reached", Unanswered(e), [], answered: false);
            }
            if (response.IsSuccessStatusCode) return response;
            using (response) throw await ProblemAsync(response, cancellationToken);
        }
    }

    // The resilience pipeline's refusals in our words rather than Polly's: what happened, not which strategy said so.
    private static string Unanswered(Exception e) => e switch
    {
        BrokenCircuitException => "its circuit is open after repeated failures (calls are refused until a probe after the break "
            + "gets an answer)",
        TimeoutRejectedException timeout => string.Create(CultureInfo.InvariantCulture,
            $"no answer within {timeout.Timeout.TotalSeconds:0.###} s"),
        _ => e.Message,
    };

    private static async Task<FeatureStoreException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            var fields = root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? errors.EnumerateArray().Select(e => new ProblemField(Text(e, "name") ?? "", Text(e, "reason") ?? "")).ToList()
                : [];
            return new FeatureStoreException(status, Text(root, "title") ?? response.ReasonPhrase ?? "", Text(root, "detail"), fields);
        }
        catch (JsonException)
        {
            return new FeatureStoreException(status, response.ReasonPhrase ?? "", text.Length > 0 ? text : null, []);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    internal static void AcceptJson(HttpClient http)
    {
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }
}

/// <summary>Registers the SDK in a host: <c>services.AddFeatureStoreClient(o => o.Endpoint = new Uri("http://localhost:5000"))</c>.
/// </summary>
public static class FeatureStoreClientRegistration
{
    public static IServiceCollection AddFeatureStoreClient(this IServiceCollection services, Action<FeatureStoreClientOptions> configure)
    {
        var options = new FeatureStoreClientOptions();
        configure(options);
        services.AddFeatureStoreHttpClients(options);
        services.AddSingleton(provider => new FeatureStoreClient(options, provider.GetRequiredService<IHttpClientFactory>()));
        return services;
    }

    /// <summary>Only the HttpClients, for a host that makes its own <see cref="FeatureStoreClient"/>s (one per signed-in person, each
    /// with their key) over <see cref="FeatureStoreClient(FeatureStoreClientOptions, IHttpClientFactory)"/>.</summary>
    public static IServiceCollection AddFeatureStoreHttpClients(this IServiceCollection services,
        Action<FeatureStoreClientOptions> configure)
    {
        var options = new FeatureStoreClientOptions();
        configure(options);
        services.AddFeatureStoreHttpClients(options);
        return services;
    }

    internal static void AddFeatureStoreHttpClients(this IServiceCollection services, FeatureStoreClientOptions options)
    {
        foreach (var (name, address) in new[]
                 {
                     (FeatureStoreClient.Names.Registry, options.Resolve(options.Registry, "Registry")),
                     (FeatureStoreClient.Names.FeatureApi, options.Resolve(options.FeatureApi, "FeatureApi")),
                     (FeatureStoreClient.Names.ModelApi, options.Resolve(options.ModelApi, "ModelApi")),
                 })
        {
#pragma warning disable EXTEXP0001 // replacing a host's default handler is the documented way; the API is marked experimental
            services.AddHttpClient(name, http =>
            {
                http.BaseAddress = new Uri(address.ToString().TrimEnd('/') + "/api/v1/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's total timeout rules
                FeatureStoreClient.AcceptJson(http);
            })
            // A host's default handlers (AddServiceDefaults adds one that retries every method) would undo the rule below.
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                // Applying, materializing or training twice is not harmless: only safe requests are tried again.
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.AttemptTimeout.Timeout = options.Timeout;
                resilience.TotalRequestTimeout.Timeout = options.Timeout * 2;
                resilience.CircuitBreaker.SamplingDuration = options.Timeout * 2;
            });
#pragma warning restore EXTEXP0001
        }
    }
}

/// <summary>The names of the HttpClients a <see cref="FeatureStoreClient"/> calls each service with; null for a service it does not
/// call.</summary>
public sealed record FeatureStoreHttpClientNames(string? Registry, string? FeatureApi, string? ModelApi)
{
    /// <summary>The clients <see cref="FeatureStoreClientRegistration.AddFeatureStoreClient"/> registers.</summary>
    public static FeatureStoreHttpClientNames Default { get; } =
        new(FeatureStoreClient.Names.Registry, FeatureStoreClient.Names.FeatureApi, FeatureStoreClient.Names.ModelApi);
}
