using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
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
        var rows = await PostAsync<List<Dictionary<string, JsonElement>>>(FeatureApi, "historical-features", request, cancellationToken);
        return rows.Select(Plain).ToList();
    }

    /// <summary>
    /// As <see cref="GetHistoricalFeaturesAsync"/>, answering even where a view's offline history does not cover what the rows
    /// need (nulls there, each gap listed) instead of refusing with a 409.
    /// </summary>
    public async Task<HistoricalFeaturesWithGaps> GetHistoricalFeaturesAllowingGapsAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, IEnumerable<string>? features = null, string? featureService = null,
        string? project = null, string? timestampField = null, CancellationToken cancellationToken = default)
    {
        var request = HistoricalRequest(entityRows, features, featureService, project, timestampField, null, false);
        request.AllowGaps = true;
        var answer = await PostAsync<RowsAndGaps>(FeatureApi, "historical-features", request, cancellationToken);
        return new HistoricalFeaturesWithGaps(answer.Rows.Select(Plain).ToList(), answer.Gaps);
    }

    private sealed record RowsAndGaps(List<Dictionary<string, JsonElement>> Rows, IReadOnlyList<HistoricalGapDto> Gaps);

    private static IReadOnlyDictionary<string, object?> Plain(Dictionary<string, JsonElement> row) =>
        row.ToDictionary(c => c.Key, c => OnlineFeatures.Plain(c.Value));

    /// <summary>The Feast guide's <c>get_training_features(entity_df, feature_service)</c>: a training set for labelled entity rows.
    /// </summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> GetTrainingFeaturesAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, string featureService, string? saveAs = null,
        CancellationToken cancellationToken = default) =>
        GetHistoricalFeaturesAsync(entityRows, featureService: featureService, saveAs: saveAs, cancellationToken: cancellationToken);

    /// <summary>
    /// The same rows as <see cref="GetHistoricalFeaturesAsync"/>, one at a time as they arrive: a large training set never has to be
    /// held whole.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyDictionary<string, object?>> StreamHistoricalFeaturesAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, IEnumerable<string>? features = null, string? featureService = null,
        string? project = null, string? timestampField = null, string? saveAs = null, bool fullFeatureNames = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "historical-features")
        {
            Content = JsonContent.Create(HistoricalRequest(entityRows, features, featureService, project, timestampField, saveAs,
                fullFeatureNames), options: Json),
        };
        using var response = await SendAsync(FeatureApi, request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var row in JsonSerializer.DeserializeAsyncEnumerable<Dictionary<string, JsonElement>>(body, Json, cancellationToken))
            if (row is not null)
                yield return Plain(row);
    }

    /// <summary>Historical features for an entity dataframe file (CSV with a header row, or Parquet), written to
    /// <paramref name="output"/> as CSV or Parquet (by its extension: <c>.csv</c>, else Parquet).</summary>
    public async Task WriteHistoricalFeaturesAsync(string entityFile, string output, IEnumerable<string>? features = null,
        string? featureService = null, string? project = null, string? timestampField = null, string? saveAs = null,
        CancellationToken cancellationToken = default)
    {
        await using var entities = File.OpenRead(entityFile);
        await IntoFileAsync(output, target => WriteHistoricalFeaturesAsync(entities, FormatOf(entityFile), target, FormatOf(output),
            features, featureService, project, timestampField, saveAs, cancellationToken));
    }

    /// <summary>Historical features for an entity dataframe read from <paramref name="entities"/> (CSV with a header row, or
    /// Parquet, as <paramref name="entitiesFormat"/> says), written to <paramref name="output"/> as <paramref name="outputFormat"/>.
    /// </summary>
    public Task WriteHistoricalFeaturesAsync(Stream entities, TableFormat entitiesFormat, Stream output, TableFormat outputFormat,
        IEnumerable<string>? features = null, string? featureService = null, string? project = null, string? timestampField = null,
        string? saveAs = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (features is not null) query.AddRange(features.Select(f => $"features={Uri.EscapeDataString(f)}"));
        if (featureService is not null) query.Add($"featureService={Uri.EscapeDataString(featureService)}");
        if (timestampField is not null) query.Add($"timestampField={Uri.EscapeDataString(timestampField)}");
        if (saveAs is not null) query.Add($"saveAs={Uri.EscapeDataString(saveAs)}");
        var content = new StreamContent(entities);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypeOf(entitiesFormat));
        var request = new HttpRequestMessage(HttpMethod.Post, WithProject($"historical-features?{string.Join('&', query)}", project))
        { Content = content };
        return WriteAnswerAsync(request, output, outputFormat, cancellationToken);
    }

    /// <summary>Historical features for entity rows, written to <paramref name="output"/> (CSV or Parquet by its extension).</summary>
    public Task WriteHistoricalFeaturesAsync(IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, string output,
        IEnumerable<string>? features = null, string? featureService = null, string? project = null, string? timestampField = null,
        string? saveAs = null, CancellationToken cancellationToken = default)
        => IntoFileAsync(output, target => WriteHistoricalFeaturesAsync(entityRows, target, FormatOf(output), features, featureService,
            project, timestampField, saveAs, cancellationToken));

    /// <summary>Historical features for entity rows, written to <paramref name="output"/> as <paramref name="format"/>.</summary>
    public Task WriteHistoricalFeaturesAsync(IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, Stream output,
        TableFormat format, IEnumerable<string>? features = null, string? featureService = null, string? project = null,
        string? timestampField = null, string? saveAs = null, CancellationToken cancellationToken = default) =>
        WriteAnswerAsync(new HttpRequestMessage(HttpMethod.Post, "historical-features")
        {
            Content = JsonContent.Create(HistoricalRequest(entityRows, features, featureService, project, timestampField, saveAs, false),
                options: Json),
        }, output, format, cancellationToken);

    /// <summary>A file's format by its extension: <c>.csv</c> is CSV, anything else Parquet.</summary>
    public static TableFormat FormatOf(string path) =>
        Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? TableFormat.Csv : TableFormat.Parquet;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; a failed write leaves no file behind.</summary>
    private static async Task IntoFileAsync(string path, Func<Stream, Task> write)
    {
        try
        {
            await using var file = File.Create(path);
            await write(file);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static string MediaTypeOf(TableFormat format) => format == TableFormat.Csv ? "text/csv" : ParquetMediaType;

    private async Task WriteAnswerAsync(HttpRequestMessage request, Stream output, TableFormat format, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypeOf(format)));
        using var response = await SendAsync(FeatureApi, request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(output, cancellationToken);
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

/// <summary>Historical rows with the gaps of offline history they met (nulls there).</summary>
public sealed record HistoricalFeaturesWithGaps(IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows,
    IReadOnlyList<HistoricalGapDto> Gaps);
