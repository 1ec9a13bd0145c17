using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FeatureStore.Testing.Fuzzing;

/// <summary>What a fuzz run saw: statuses by count, the answers that broke the rules (with the request that caused
/// them) and refused requests after which the state had changed.</summary>
public sealed record FuzzReport(int Requests, IReadOnlyDictionary<int, int> Statuses, IReadOnlyList<string> Failures,
    IReadOnlyList<string> StateChanges, TimeSpan Elapsed)
{
    public string Summary() =>
        $"{Requests} requests in {Elapsed.TotalSeconds:F0} s; statuses " +
        string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")) +
        $"; {Failures.Count} rule breaks; {StateChanges.Count} refused requests that changed state";
}

/// <summary>
/// Seeded requests over every operation of an OpenAPI document: valid-shaped from the schemas and a vocabulary of
/// names the server knows, then (often) malformed by <see cref="Mutations"/>. The rules checked on every answer: no 5xx
/// but 501 (not built) and 503 (a dependency or a time limit, as a problem); every error a problem+json; and, through
/// <paramref name="state"/>, a refused request changes nothing.
/// </summary>
public sealed class RequestFuzzer(JsonElement document, int seed, IReadOnlyList<string> vocabulary, Func<Task<string>> state)
{
    private readonly Random _random = new(seed);
    private readonly IReadOnlyList<FuzzOperation> _operations = FuzzOperation.Read(document);

    public IReadOnlyList<FuzzOperation> Operations => _operations;

    public async Task<FuzzReport> RunAsync(HttpClient http, int count, CancellationToken ct)
    {
        var values = new SchemaValues(document, _random, vocabulary);
        var mutations = new Mutations(_random);
        var statuses = new Dictionary<int, int>();
        var (failures, changes) = (new List<string>(), new List<string>());
        var clock = Stopwatch.StartNew();
        var before = await state();
        for (var i = 0; i < count; i++)
        {
            var operation = _operations[_random.Next(_operations.Count)];
            using var request = Build(operation, values, mutations);
            var described = $"#{i} {request.Method} {request.RequestUri}";
            var sent = request.Content is null ? "" : Shorten(Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(ct)));
            int status;
            string answer, mediaType;
            bool refusedByServer;
            try
            {
                using var response = await http.SendAsync(request, ct);
                status = (int)response.StatusCode;
                answer = await response.Content.ReadAsStringAsync(ct);
                mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
                // Kestrel's own refusals of what is not an HTTP request it can route (a request line over 8 KB, a NUL in
                // the path): no body, the connection closed, before any application code runs.
                refusedByServer = status is 400 or 414 or 431 && answer.Length == 0 && response.Headers.ConnectionClose == true;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{described}: no answer ({e.Message}) to {sent}");
                continue;
            }
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500 && status is not (501 or 503))
                failures.Add($"{described} answered {status}: {Shorten(answer)} to {sent}");
            else if (status >= 400 && mediaType != "application/problem+json" && !refusedByServer)
                failures.Add($"{described} answered {status} as '{mediaType}', not a problem: {Shorten(answer)}");
            if (status >= 400 && request.Method != HttpMethod.Get)
            {
                var after = await state();
                if (after != before) changes.Add($"{described} was refused ({status}) yet the state changed, after {sent}");
                before = after;
            }
            else if (request.Method != HttpMethod.Get) before = await state();
        }
        return new FuzzReport(count, statuses, failures, changes, clock.Elapsed);
    }

    private HttpRequestMessage Build(FuzzOperation operation, SchemaValues values, Mutations mutations)
    {
        var path = operation.Template;
        foreach (var name in operation.PathParameters)
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(_random.Next(4) == 0 ? mutations.Text() : values.Word()),
                StringComparison.Ordinal);
        var query = new List<string>();
        foreach (var (name, type) in operation.QueryParameters)
            if (_random.Next(3) == 0)
                query.Add($"{name}={Uri.EscapeDataString(_random.Next(4) == 0 ? mutations.Text() : QueryValue(type, values))}");
        if (_random.Next(12) == 0) query.Add($"{values.Word()}={Uri.EscapeDataString(values.Word())}");
        if (_random.Next(20) == 0 && query.Count > 0) query.Add(query[0]);
        var request = new HttpRequestMessage(new HttpMethod(operation.Method),
            path.TrimStart('/') + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        if (operation.BodySchema is { } schema || _random.Next(20) == 0)
        {
            var valid = operation.BodySchema is { } s ? values.For(s) : null;
            request.Content = new ByteArrayContent(mutations.Body(valid));
            foreach (var contentType in mutations.ContentType(operation.MediaTypes))
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (_random.Next(10) == 0) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return request;
    }

    private string QueryValue(string type, SchemaValues values) => type switch
    {
        "boolean" => _random.Next(2) == 0 ? "true" : "false",
        "integer" => _random.Next(-2, 50).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => values.Word(),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} chars)";
}
