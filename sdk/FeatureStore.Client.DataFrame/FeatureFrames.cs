using System.Globalization;
using Microsoft.Data.Analysis;

namespace FeatureStore.Client;

/// <summary>
/// The SDK's answers as <see cref="DataFrame"/>s, for users who work in frames. A column's type comes from its values: whole
/// numbers → <c>long</c>, numbers with a fraction among them → <c>double</c>, true/false → <c>bool</c>, ISO 8601 instants (the
/// wire's timestamps) → <c>DateTime</c> in UTC, anything else → text; a missing value is a null of the column.
/// </summary>
public static class FeatureFrames
{
    /// <summary>Rows (historical features, a training set) as a frame, columns in the first row's order.</summary>
    public static DataFrame ToDataFrame(this IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        var names = rows.SelectMany(row => row.Keys).Distinct().ToList();
        return new DataFrame(names.Select(name => Column(name, rows.Select(row => row.GetValueOrDefault(name)).ToList())));
    }

    /// <summary>Online features as a frame: the entity columns, then one column per feature.</summary>
    public static DataFrame ToDataFrame(this OnlineFeatures online)
    {
        var rows = Enumerable.Range(0, online.Count).Select(row =>
        {
            var values = online.Rows[row].Entity.ToDictionary(c => c.Key, c => OnlineFeatures.Plain(c.Value));
            foreach (var (name, value) in online.ToDictionary(row)) values[name] = value;
            return (IReadOnlyDictionary<string, object?>)values;
        }).ToList();
        return rows.ToDataFrame();
    }

    /// <summary><see cref="FeatureStoreClient.GetHistoricalFeaturesAsync"/>, as a frame.</summary>
    public static async Task<DataFrame> GetHistoricalFeaturesDataFrameAsync(this FeatureStoreClient client,
        IEnumerable<IReadOnlyDictionary<string, object?>> entityRows, IEnumerable<string>? features = null,
        string? featureService = null, string? project = null, string? saveAs = null, CancellationToken cancellationToken = default) =>
        (await client.GetHistoricalFeaturesAsync(entityRows, features, featureService, project, saveAs: saveAs,
            cancellationToken: cancellationToken)).ToDataFrame();

    private static DataFrameColumn Column(string name, IReadOnlyList<object?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        if (present.Count > 0 && present.All(v => v is long))
            return new Int64DataFrameColumn(name, values.Select(v => (long?)v));
        if (present.Count > 0 && present.All(v => v is long or double))
            return new DoubleDataFrameColumn(name,
                values.Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)));
        if (present.Count > 0 && present.All(v => v is bool))
            return new BooleanDataFrameColumn(name, values.Select(v => (bool?)v));
        if (present.Count > 0 && present.All(v => v is string text && Instant(text) is not null))
            return new DateTimeDataFrameColumn(name, values.Select(v => v is string text ? Instant(text) : null));
        return new StringDataFrameColumn(name, values.Select(v => v switch
        {
            null => null,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }));
    }

    /// <summary>An ISO 8601 instant with a date and a time (<c>2026-12-03T05:20:00Z</c>), in UTC; null for other text.</summary>
    private static DateTime? Instant(string text) =>
        text.Length >= 19 && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.UtcDateTime : null;
}
