using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.Domain.Security;
using FeatureStore.DuckDb;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Serving;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Monitoring;

/// <summary>
/// Compares what a feature service served in a window (its log, <see cref="FeatureLogFile"/>: values read with PRESENT or
/// NULL_VALUE) with a reference saved dataset (a training set), feature by feature, judged by <see cref="DriftVerdicts"/>.
/// Thresholds are the service's (<c>drift:</c>, per feature or for all) or the defaults. Each side is a reproducible sample of at
/// most <see cref="MaxSample"/> values.
/// </summary>
public sealed class DriftCheck(FeatureSelector selector, SavedDatasets datasets, IDefinitionCatalog catalog, IObjectStore objects,
    IOptions<HistoricalOptions> options)
{
    public const int MaxSample = 100_000;

    /// <summary>Compares with <paramref name="reference"/>, or when null with the one <see cref="DriftReference"/> chooses, what was
    /// served from <paramref name="from"/> (by default the service's <c>drift.window</c> before the end). A null
    /// <paramref name="reader"/> is this process itself (a scheduled check).</summary>
    public async Task<DriftReportDto> RunAsync(string project, string service, string? reference, DateTimeOffset? from,
        DateTimeOffset end, Principal? reader, CancellationToken cancellationToken)
    {
        var selection = await selector.SelectAsync(project, null, service, true, SelectionFields.Api, cancellationToken);
        await selector.DemandAsync(project, selection, reader, FeatureAction.ReadOffline, cancellationToken);
        var definition = selection.Service!;
        var start = from ?? end - (definition.Drift?.Window ?? DriftMonitoring.DefaultWindow);
        IReadOnlyList<PromotedModel> promoted = [];
        IReadOnlyList<CataloguedFile> logs;
        try
        {
            if (reference is null && definition.Drift?.Reference is null)
                promoted = await catalog.ListPromotedModelsAsync(project, cancellationToken);
            logs = await catalog.ListFeatureLogFilesAsync(project, service, start, end, cancellationToken);
        }
        catch (HttpRequestException e) { throw Infrastructure.DefinitionCache.Unreachable(e); }
        var chosen = DriftReference.Choose(reference, definition, promoted)
                     ?? throw FieldErrors.Invalid("reference",
                         $"none was given, feature service '{service}' declares none (drift.reference) and no promoted model uses it");
        var dataset = await datasets.FindAsync(project, chosen, cancellationToken)
                      ?? throw FieldErrors.Invalid("reference", $"dataset '{chosen}' does not exist in project '{project}'");

        var work = Directory.CreateDirectory(Path.Combine(options.Value.WorkDirectory, $"drift-{Guid.NewGuid():N}")).FullName;
        try
        {
            var referenceFile = await DownloadAsync(dataset.DataPath, work, cancellationToken);
            var logFiles = new List<string>();
            foreach (var log in logs) logFiles.Add(await DownloadAsync(log.Path, work, cancellationToken));
            using var connection = DuckDbSandbox.Open();
            var current = logFiles.Count == 0 ? null : $"""
                (SELECT * FROM read_parquet([{string.Join(", ", logFiles.Select(DuckDbTypes.Literal))}])
                 WHERE {FeatureLogFile.LogTime} >= {DuckDbTypes.Timestamp(start)}
                   AND {FeatureLogFile.LogTime} < {DuckDbTypes.Timestamp(end)})
                """;
            var features = new List<FeatureDriftDto>();
            foreach (var output in selection.Outputs)
            {
                var column = ReferenceColumn(dataset, output);
                var referenceSample = column is null ? null : Sample(connection, $"read_parquet({DuckDbTypes.Literal(referenceFile)})",
                    column, null, output.Type);
                var logColumn = FeatureLogFile.Column(output);
                var currentSample = current is null ? null
                    : Sample(connection, current, logColumn, $"{DuckDbTypes.Quote($"{logColumn}__status")} IN ('PRESENT', 'NULL_VALUE')",
                        output.Type);
                features.Add(Judge(output, referenceSample, currentSample, column is null,
                    DriftMonitoring.ThresholdsOf(definition.Drift, output.Ref)));
            }
            return new DriftReportDto(project, service, chosen, "logs", start, end,
                features.Where(f => f.Verdict == "drift").Select(f => f.Feature).ToList(), features);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static FeatureDriftDto Judge(SelectedFeature output, DriftSample? reference, DriftSample? current, bool notInReference,
        DriftThresholds thresholds)
    {
        var name = output.Ref.ToString();
        var kind = Numeric(output.Type) ? "numeric" : "categorical";
        if (reference is null || current is null)
            return new FeatureDriftDto(name, kind, reference?.Values ?? 0, current?.Values ?? 0, reference?.NullRate, current?.NullRate,
                null, null, null, null, "insufficient",
                [notInReference ? "the reference dataset does not hold this feature" : "nothing was logged in the window"]);
        var verdict = DriftVerdicts.Judge(reference, current, thresholds);
        return new FeatureDriftDto(name, kind, reference.Values, current.Values, reference.NullRate, current.NullRate, verdict.Psi,
            verdict.KsStatistic, verdict.KsPValue, verdict.JensenShannon, verdict.Verdict, verdict.Reasons, verdict.Distribution);
    }

    /// <summary>The dataset's column of a feature (same view and feature, any version), or null when it holds none.</summary>
    private static string? ReferenceColumn(SavedDatasetDto dataset, SelectedFeature output) =>
        dataset.Features.Select(f => FeatureRef.TryParse(f, out var r) ? r : (FeatureRef?)null)
            .FirstOrDefault(r => r is { } found && found.View == output.Ref.View && found.Feature == output.Ref.Feature) is { } match
            ? match.OutputName(dataset.FullFeatureNames) : null;

    private static bool Numeric(FeatureValueType type) => type is FeatureValueType.Int32 or FeatureValueType.Int64
        or FeatureValueType.Float32 or FeatureValueType.Float64 or FeatureValueType.Timestamp;

    private static DriftSample Sample(DuckDBConnection connection, string relation, string column, string? filter, FeatureValueType type)
    {
        var value = DuckDbTypes.Quote(column);
        var where = filter is null ? "" : $"WHERE {filter}";
        var nulls = Scalar(connection, $"SELECT count(*) FILTER (WHERE {value} IS NULL) FROM {relation} {where}");
        var nonNull = filter is null ? $"WHERE {value} IS NOT NULL" : $"WHERE ({filter}) AND {value} IS NOT NULL";
        // Reservoir sampling with a fixed seed: the same data gives the same scores.
        var sampled = $"(SELECT {value} AS v FROM {relation} {nonNull} USING SAMPLE reservoir({MaxSample} ROWS) REPEATABLE (7))";
        using var command = connection.CreateCommand();
        if (Numeric(type))
        {
            command.CommandText = type == FeatureValueType.Timestamp
                ? $"SELECT epoch(v) FROM {sampled}" : $"SELECT CAST(v AS DOUBLE) FROM {sampled}";
            using var reader = command.ExecuteReader();
            var numbers = new List<double>();
            while (reader.Read()) if (!reader.IsDBNull(0)) numbers.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
            return new DriftSample(numbers.Where(double.IsFinite).ToArray(), null, nulls);
        }
        command.CommandText = $"SELECT CAST(v AS VARCHAR), count(*) FROM {sampled} GROUP BY 1";
        using var groups = command.ExecuteReader();
        var categories = new Dictionary<string, long>(StringComparer.Ordinal);
        while (groups.Read()) categories[groups.GetString(0)] = Convert.ToInt64(groups.GetValue(1), CultureInfo.InvariantCulture);
        return new DriftSample(null, categories, nulls);
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private async Task<string> DownloadAsync(string key, string work, CancellationToken cancellationToken)
    {
        var local = Path.Combine(work, $"{Guid.NewGuid():N}.parquet");
        try
        {
            await using var source = await objects.OpenReadAsync(key, cancellationToken);
            await using var target = File.Create(local);
            await source.CopyToAsync(target, cancellationToken);
        }
        catch (StoredObjectNotFoundException e)
        {
            throw new DependencyUnavailableException([new FieldError("objectStore", $"the file '{e.Key}' the catalog lists is missing")]);
        }
        return local;
    }
}
