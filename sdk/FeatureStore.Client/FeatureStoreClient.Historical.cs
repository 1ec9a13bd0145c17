using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>The format of an entity dataframe file or of a historical answer written to a file.</summary>
public enum TableFormat
{
    Csv,
    Parquet,
}

/// <summary>Historical features: point-in-time-correct values for entity rows, as rows, into a file, or saved as a dataset.</summary>
public sealed partial class FeatureStoreClient
{
    private const string ParquetMediaType = "application/vnd.apache.parquet";

    /// <summary>
    /// Each entity row (join keys, its time in <c>event_timestamp</c> or <paramref name="timestampField"/>, request fields, and
    /// columns of your own such as labels) with the features' values as of that time. <paramref name="saveAs"/> also keeps the
    /// result as a named dataset (a model's training set).
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> GetHistoricalFeaturesAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, IEnumerable<string>? features = null, string? featureService = null,
        string? project = null, string? timestampField = null, string? saveAs = null, bool fullFeatureNames = false,
        CancellationToken cancellationToken = default)
    {
        var request = HistoricalRequest(entityRows, features, featureService, project, timestampField, saveAs, fullFeatureNames);
        var rows = await PostAsync<List<Dictionary<string, JsonElement>>>(_featureApi, "historical-features", request, cancellationToken);
        return rows.Select(row => (IReadOnlyDictionary<string, object?>)row.ToDictionary(c => c.Key, c => OnlineFeatures.Plain(c.Value)))
            .ToList();
    }

    /// <summary>The Feast guide's <c>get_training_features(entity_df, feature_service)</c>: a training set for labelled entity rows.
    /// </summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> GetTrainingFeaturesAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, string featureService, string? saveAs = null,
        CancellationToken cancellationToken = default) =>
        GetHistoricalFeaturesAsync(entityRows, featureService: featureService, saveAs: saveAs, cancellationToken: cancellationToken);

    /// <summary>Historical features for an entity dataframe file (CSV with a header row, or Parquet), written to
    /// <paramref name="output"/> as CSV or Parquet (by its extension: <c>.csv</c>, else Parquet).</summary>
    public async Task WriteHistoricalFeaturesAsync(string entityFile, string output, IEnumerable<string>? features = null,
        string? featureService = null, string? project = null, string? timestampField = null, string? saveAs = null,
        CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (features is not null) query.AddRange(features.Select(f => $"features={Uri.EscapeDataString(f)}"));
        if (featureService is not null) query.Add($"featureService={Uri.EscapeDataString(featureService)}");
        if (timestampField is not null) query.Add($"timestampField={Uri.EscapeDataString(timestampField)}");
        if (saveAs is not null) query.Add($"saveAs={Uri.EscapeDataString(saveAs)}");
        await using var entities = File.OpenRead(entityFile);
        var content = new StreamContent(entities);
        content.Headers.ContentType = new MediaTypeHeaderValue(FormatOf(entityFile) == TableFormat.Csv ? "text/csv" : ParquetMediaType);
        var request = new HttpRequestMessage(HttpMethod.Post, WithProject($"historical-features?{string.Join('&', query)}", project))
        { Content = content };
        await WriteAnswerAsync(request, output, cancellationToken);
    }

    /// <summary>Historical features for entity rows, written to <paramref name="output"/> (CSV or Parquet by its extension).</summary>
    public Task WriteHistoricalFeaturesAsync(IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, string output,
        IEnumerable<string>? features = null, string? featureService = null, string? project = null, string? timestampField = null,
        string? saveAs = null, CancellationToken cancellationToken = default) =>
        WriteAnswerAsync(new HttpRequestMessage(HttpMethod.Post, "historical-features")
        {
            Content = JsonContent.Create(HistoricalRequest(entityRows, features, featureService, project, timestampField, saveAs, false),
                options: Json),
        }, output, cancellationToken);

    public static TableFormat FormatOf(string path) =>
        Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? TableFormat.Csv : TableFormat.Parquet;

    private async Task WriteAnswerAsync(HttpRequestMessage request, string output, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Clear();
        var media = FormatOf(output) == TableFormat.Csv ? "text/csv" : ParquetMediaType;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(media));
        using var response = await SendAsync(_featureApi, request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await using var target = File.Create(output);
        await response.Content.CopyToAsync(target, cancellationToken);
    }

    private HistoricalFeaturesRequestDto HistoricalRequest(IEnumerable<IReadOnlyDictionary<string, object?>> entityRows,
        IEnumerable<string>? features, string? featureService, string? project, string? timestampField, string? saveAs,
        bool fullFeatureNames) => new()
        {
            Project = ProjectOf(project), Features = features?.ToList(), FeatureService = featureService, TimestampField = timestampField,
            SaveAs = saveAs, FullFeatureNames = fullFeatureNames,
            Entities = entityRows.Select(row => row.ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value, Json)))
                .ToList(),
        };
}
