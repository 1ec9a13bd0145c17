using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureStore.AppHost.Tests;

/// <summary>Materialization jobs through the AppHost's registry: start one, follow it until it ends.</summary>
public static class HttpJobs
{
    public static async Task<JsonElement> MaterializeAsync(HttpClient registry, string project, string view, DateTime start,
        DateTime end, int partitions,
        CancellationToken ct)
    {
        using var accepted = await registry.PostAsJsonAsync($"api/v1/feature-views/{view}/materialize?project={project}",
            new { start, end, partitions }, ct);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync(ct));
        var location = accepted.Headers.Location!.ToString().TrimStart('/');
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var job = await registry.GetFromJsonAsync<JsonElement>(location, ct);
            var status = job.GetProperty("status").GetString();
            if (status is not ("pending" or "running"))
            {
                Assert.True(status == "succeeded", job.ToString());
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline, $"still {status}: {job}");
            await Task.Delay(250, ct);
        }
    }
}
