using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>An HTTP answer read whole: status, headers and the JSON body (when there is one).</summary>
public sealed record Answer(int Status, HttpResponseHeaders Headers, JsonElement Body, string Text)
{
    public IEnumerable<string> ErrorFields =>
        Body.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("name").GetString()!) : [];
    public string? ETag => Headers.ETag?.Tag;

    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
            return new Answer((int)response.StatusCode, response.Headers, body, text);
        }
    }
}

public static class HttpCalls
{
    public static async Task<Answer> ApplyYamlAsync(this HttpClient registry, string yaml, string query = "", string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/apply{query}")
        { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Answer.ReadAsync(await registry.SendAsync(request));
    }

    public static async Task<Answer> GetAnswerAsync(this HttpClient registry, string path, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await Answer.ReadAsync(await registry.SendAsync(request));
    }

    /// <summary>POSTs <paramref name="body"/> as JSON and returns the answer's JSON; anything but a 200 fails the test with its
    /// text.</summary>
    public static async Task<JsonElement> PostForJsonAsync(this HttpClient http, string path, object body,
        CancellationToken cancellationToken = default) =>
        Ok(path, await Answer.ReadAsync(await http.PostAsJsonAsync(path, body, cancellationToken)));

    /// <summary>GETs <paramref name="path"/> and returns the answer's JSON; anything but a 200 fails the test with its text.</summary>
    public static async Task<JsonElement> GetForJsonAsync(this HttpClient http, string path,
        CancellationToken cancellationToken = default) =>
        Ok(path, await Answer.ReadAsync(await http.GetAsync(path, cancellationToken)));

    private static JsonElement Ok(string path, Answer answer)
    {
        Assert.True(answer.Status == 200, $"{path} answered {answer.Status}: {answer.Text}");
        return answer.Body;
    }

    /// <summary>The plan's entry for one object.</summary>
    public static JsonElement Change(this Answer answer, string kind, string name) =>
        answer.Body.GetProperty("changes").EnumerateArray()
            .Single(c => c.GetProperty("kind").GetString() == kind && c.GetProperty("name").GetString() == name);
}
