using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>Materializations over the registry's HTTP API: start one and wait for it to end.</summary>
public static class Materializations
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    public static async Task<MaterializationJobDto> MaterializeAsync(HttpClient registry, string project, string view,
        DateTime start, DateTime end,
        Func<string>? diagnostics = null)
    {
        using var accepted = await registry.PostAsJsonAsync(
            $"api/v1/feature-views/{view}/materialize?project={project}", new { start, end });
        var body = await accepted.Content.ReadAsStringAsync();
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"materialize {view} answered {(int)accepted.StatusCode}: {body}");
        var location = accepted.Headers.Location?.ToString() ?? throw new InvalidOperationException("202 without a Location header");
        var job = await WaitForJobAsync(registry, location, diagnostics);
        Assert.True(job.Status == JobStatus.Succeeded, $"job for {view} ended {job.Status}: {job.Error}\n{diagnostics?.Invoke()}");
        return job;
    }

    public static async Task<MaterializationJobDto> WaitForJobAsync(HttpClient registry, string location, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        MaterializationJobDto? job = null;
        while (DateTime.UtcNow < deadline)
        {
            job = await registry.GetFromJsonAsync<MaterializationJobDto>(location.TrimStart('/'), JsonSerializerOptions.Web);
            if (job!.Status.IsFinal()) return job;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {location} still {job?.Status} after {JobTimeout.TotalSeconds}s\n{diagnostics?.Invoke()}");
    }
}
