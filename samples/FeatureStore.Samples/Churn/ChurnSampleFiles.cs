using Parquet.Serialization;

namespace FeatureStore.Samples.Churn;

/// <summary>
/// The sample's raw tables as Parquet files, named as the sample feature repository's sources expect them
/// under <c>sources/{project}/</c>. Reviews are written scored (<see cref="ReviewScoring"/>).
/// </summary>
public static class ChurnSampleFiles
{
    public const string Customers = "customers.parquet";
    public const string Activity = "activity.parquet";
    public const string Tickets = "support_tickets.parquet";
    public const string Reviews = "reviews.parquet";
    public const string Labels = "churn_labels.parquet";

    public static IReadOnlyList<string> Names { get; } = [Customers, Activity, Tickets, Reviews, Labels];

    /// <summary>The object key of one of the sample's files.</summary>
    public static string Key(string project, string file) => $"sources/{project}/{file}";

    /// <summary>Writes every table into <paramref name="directory"/>; answers the file paths by name.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> WriteAsync(ChurnData data, int seed, string directory,
        CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var paths = Names.ToDictionary(n => n, n => Path.Combine(directory, n));
        await WriteAsync(data.Customers, paths[Customers], cancellationToken);
        await WriteAsync(data.Activity, paths[Activity], cancellationToken);
        await WriteAsync(data.Tickets, paths[Tickets], cancellationToken);
        await WriteAsync(ReviewScoring.Score(data.Reviews, seed), paths[Reviews], cancellationToken);
        await WriteAsync(data.Labels, paths[Labels], cancellationToken);
        return paths;
    }

    private static async Task WriteAsync<T>(IReadOnlyList<T> rows, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await ParquetSerializer.SerializeAsync(rows, file, cancellationToken: cancellationToken);
    }
}
