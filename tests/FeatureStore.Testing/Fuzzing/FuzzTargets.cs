using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureStore.Testing.Fuzzing;

/// <summary>What a fuzz run against a host with the churn sample needs: the sample ready, the names it knows, and a
/// fingerprint of the registry that only a successful change moves.</summary>
public static class FuzzTargets
{
    private static readonly string[] Kinds = ["entities", "feature-views", "on-demand-feature-views", "feature-services", "data-sources"];

    public static async Task WaitForTheSampleAsync(HttpClient http, Func<string> diagnostics, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await http.GetFromJsonAsync<JsonElement>("api/v1/models/churn", ct)).GetProperty("promoted").ValueKind
               == JsonValueKind.Null)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the churn sample did not finish in 3 minutes\n{diagnostics()}");
            await Task.Delay(500, ct);
        }
    }

    /// <summary>Names of every object of every project, feature references, and values a request may carry.</summary>
    public static async Task<IReadOnlyList<string>> VocabularyAsync(HttpClient http, CancellationToken ct)
    {
        var words = new HashSet<string>(StringComparer.Ordinal)
        {
            "default", "customer_id", "1", "17", "2024-06-01T00:00:00Z", "2026-01-01T00:00:00Z", "online", "offline", "churn_v1",
        };
        foreach (var project in (await http.GetFromJsonAsync<JsonElement>("api/v1/projects", ct)).EnumerateArray())
        {
            var name = project.GetProperty("name").GetString()!;
            words.Add(name);
            foreach (var kind in Kinds)
                foreach (var item in (await http.GetFromJsonAsync<JsonElement>($"api/v1/{kind}?project={name}", ct)).EnumerateArray())
                {
                    var itemName = item.GetProperty("name").GetString()!;
                    words.Add(itemName);
                    if (item.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array)
                        foreach (var feature in features.EnumerateArray())
                            if (feature.TryGetProperty("name", out var featureName)) words.Add($"{itemName}:{featureName.GetString()}");
                }
        }
        return [.. words.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every project's name and revision: applies move it, nothing else.</summary>
    public static async Task<string> RegistryStateAsync(HttpClient http) =>
        string.Join(",", (await http.GetFromJsonAsync<JsonElement>("api/v1/projects")).EnumerateArray()
            .Select(p => $"{p.GetProperty("name").GetString()}@{p.GetProperty("revision").GetInt64()}"));
}
