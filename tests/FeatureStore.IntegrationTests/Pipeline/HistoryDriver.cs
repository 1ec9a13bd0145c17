using System.Net.Http.Json;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Pipeline;

// A source row of the history tests. Lower-case names on purpose: they are the Parquet column names.
#pragma warning disable IDE1006
public sealed class AmountRow
{
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public DateTime? created { get; set; }
    public double? amount { get; set; }
}
#pragma warning restore IDE1006

/// <summary>
/// Drives one project of the history tests on the real services: puts source rows, applies, materializes, and reads
/// back what readers see — historical retrieval, online features, the offline files with their masks.
/// </summary>
public sealed class HistoryDriver(ServiceCluster cluster, string name)
{
    public static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public string Project => $"{cluster.Backends.Project}_{name}";
    public HttpClient Registry { get; } = cluster.Registry.CreateClient();
    public HttpClient FeatureApi { get; } = cluster.FeatureApi.CreateClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string SourceKey(string source) => $"sources/{Project}/{source}.parquet";

    public async Task PutAsync(string source, IEnumerable<AmountRow> rows) =>
        await cluster.Objects.PutAsync(SourceKey(source), new MemoryStream(await SourceData.ToParquetAsync(rows)), Ct);

    public async Task<Answer> ApplyAsync(string yaml, string query = "") =>
        await Registry.ApplyYamlAsync($"project: {Project}\n{yaml}", query);

    public async Task<JsonElement> MaterializeAsync(string view, DateTime start, DateTime end) =>
        JsonSerializer.SerializeToElement(await Materializations.MaterializeAsync(Registry, Project, view, start, end, cluster.Diagnostics),
            JsonSerializerOptions.Web);

    public async Task<Answer> StartAsync(string view, string path, object body) =>
        await Answer.ReadAsync(
            await Registry.PostAsync($"api/v1/feature-views/{view}/{path}?project={Project}", JsonContent.Create(body), Ct));

    public async Task<JsonElement> WaitAsync(Answer accepted)
    {
        Assert.True(accepted.Status == 202, $"{accepted.Text}\n{cluster.Diagnostics()}");
        var job = await Materializations.WaitForJobAsync(Registry, accepted.Headers.Location!.ToString(), cluster.Diagnostics);
        return JsonSerializer.SerializeToElement(job, JsonSerializerOptions.Web);
    }

    /// <summary>Historical retrieval of <paramref name="features"/> for customers at one time each (a 200 or the problem as it
    /// came).</summary>
    public async Task<Answer> HistoricalAsync(IEnumerable<(long Customer, DateTime At)> rows, string[] features, bool allowGaps = false) =>
        await Answer.ReadAsync(await FeatureApi.PostAsync("api/v1/historical-features", JsonContent.Create(new
        {
            project = Project, features, allowGaps,
            entities = rows.Select(r => new Dictionary<string, object> { ["customer_id"] = r.Customer, ["event_timestamp"] = Iso(r.At) }),
        }), Ct));

    /// <summary>One feature's point-in-time values (null where absent), from a 200.</summary>
    public static double?[] Values(Answer answer, string feature)
    {
        Assert.True(answer.Status == 200, answer.Text);
        var rows = answer.Body.ValueKind == JsonValueKind.Array ? answer.Body : answer.Body.GetProperty("rows");
        return rows.EnumerateArray()
            .Select(r => r.GetProperty(feature) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : (double?)null).ToArray();
    }

    /// <summary>The online value of a feature per customer (null when not PRESENT).</summary>
    public async Task<double?[]> OnlineAsync(string feature, IReadOnlyList<long> customers)
    {
        var answer = await Answer.ReadAsync(await FeatureApi.PostAsync("api/v1/online-features", JsonContent.Create(new
        {
            project = Project, entities = new Dictionary<string, IReadOnlyList<long>> { ["customer_id"] = customers },
            features = new[] { feature },
        }), Ct));
        Assert.True(answer.Status == 200, answer.Text);
        var name = feature.Split(':')[1];
        return answer.Body.GetProperty("results").EnumerateArray().Select(r =>
            r.GetProperty("statuses").GetProperty(name).GetString() == "PRESENT"
                ? r.GetProperty("values").GetProperty(name).GetDouble() : (double?)null).ToArray();
    }

    public async Task<OfflineCoverageDto> CoverageAsync(string view, int? version = null) =>
        (await Registry.GetFromJsonAsync<OfflineCoverageDto>($"api/v1/feature-views/{view}/coverage?project={Project}" +
            $"{(version is { } v ? $"&version={v}" : "")}",
            JsonSerializerOptions.Web, Ct))!;

    public async Task<List<OfflineFileDto>> OfflineFilesAsync(string view, string query = "") =>
        (await Registry.GetFromJsonAsync<List<OfflineFileDto>>($"api/v1/feature-views/{view}/offline-files?project={Project}{query}",
            JsonSerializerOptions.Web, Ct))!;

    /// <summary>
    /// The rows a reader of the view's history sees, read straight from the object store with each file's masks applied:
    /// (customer, event time, amount), in order.
    /// </summary>
    public async Task<List<(long Customer, DateTime At, double? Amount)>> OfflineRowsAsync(string view, string query = "")
    {
        var files = await OfflineFilesAsync(view, query);
        var directory = Directory.CreateTempSubdirectory("fs-history-").FullName;
        try
        {
            var parts = new List<string>();
            foreach (var (file, i) in files.Select((f, i) => (f, i)))
            {
                var local = Path.Combine(directory, $"{i}.parquet");
                await cluster.Objects.DownloadAsync(file.Path, local, Ct);
                parts.Add($"SELECT customer_id, event_timestamp, amount FROM read_parquet('{local}') " +
                          $"WHERE {OfflineVisibility.SqlKept("CAST(event_timestamp AS TIMESTAMPTZ)", file.Masks ?? [])}");
            }
            if (parts.Count == 0) return [];
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SET TimeZone = 'UTC'; SELECT * FROM ({string.Join(" UNION ALL ", parts)}) ORDER BY 1, 2, 3";
            using var reader = command.ExecuteReader();
            var rows = new List<(long, DateTime, double?)>();
            while (reader.Read())
                rows.Add((reader.GetInt64(0), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value.UtcDateTime,
                    reader.IsDBNull(2) ? null : reader.GetDouble(2)));
            return rows;
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    public static string Iso(DateTime t) => FeatureStore.IntegrationTests.Serving.ServingScenario.Iso(t);
}
