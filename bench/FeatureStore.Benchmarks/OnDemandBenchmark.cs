using System.Diagnostics;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.DuckDb.OnDemand;
using FeatureStore.FeatureApi.Serving;
using FeatureStore.Registry.Definitions;
using FeatureStore.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FeatureStore.Benchmarks;

/// <summary>
/// On-demand evaluation per entity row, the sample's view (churn_signals: three features over two timestamps, a count and the
/// request's as_of, its expressions as in samples/feature_repo.yaml): feature-api's evaluator with the view on DuckDB (the
/// baseline) and the same evaluator with the registry's in-process choice, in one process, for one row per call (a
/// prediction) and 100 rows per call; time and bytes allocated per row.
/// </summary>
public static class OnDemandBenchmark
{
    public static Task RunAsync(BenchmarkOptions options)
    {
        var view = SampleView();
        var inProcess = view with { Version = 2, Evaluation = OnDemandEvaluations.Decide(view) };
        Console.WriteLine($"on-demand view churn_signals (3 features), evaluator chosen: {inProcess.Evaluation!.Evaluator}" +
            (inProcess.Evaluation.Reason is { } why ? $" ({why})" : ""));
        using var evaluator = new OnDemandEvaluator(Options.Create(new LimitOptions()), Options.Create(new OnDemandOptions()),
            NullLogger<OnDemandEvaluator>.Instance);
        var random = new Random(5);
        var now = DateTimeOffset.UtcNow;
        object?[] Row() => [now.AddDays(-random.Next(90)), now.AddDays(-random.Next(2000)), (long)random.Next(40), now];
        var calls = Math.Max(1000, options.Reads);
        Console.WriteLine();
        Console.WriteLine("rows/call  evaluator      µs per row (median of 5)   bytes per row");
        foreach (var batch in new[] { 1, 100 })
        {
            var rows = Enumerable.Range(0, batch).Select(_ => Row()).ToList();
            foreach (var (name, definition) in new[] { ("duckdb", view), ("in process", inProcess) })
            {
                var (micros, bytes) = Measure(() => evaluator.Evaluate(definition, rows, "features"), calls / batch, batch);
                Console.WriteLine($"{batch,9}  {name,-12}{micros,16:F2}{bytes,24:N0}");
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The sample's churn_signals with its expressions read from samples/feature_repo.yaml (its inputs' types as the
    /// sample's views declare them), so the benchmark measures what the sample serves.</summary>
    private static OnDemandFeatureViewDefinition SampleView()
    {
        var errors = new List<FieldError>();
        var sample = RepositoryDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "feature_repo.yaml")),
            yaml: true, new DocumentLimits(), errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        var schema = sample["onDemandFeatureViews"]!.AsArray().Single(v => (string?)v!["name"] == "churn_signals")!["schema"]!.AsArray();
        var features = schema.Select(f => new OnDemandFeature((string)f!["name"]!,
            Enum.Parse<FeatureValueType>((string)f["type"]!, ignoreCase: true), (string)f["expression"]!)).ToList();
        return new OnDemandFeatureViewDefinition("churn", "churn_signals", ["customer_activity", "customer_profile"],
            [
                new OnDemandInput("customer_activity", "last_activity_at", FeatureValueType.Timestamp),
                new OnDemandInput("customer_profile", "signed_up_at", FeatureValueType.Timestamp),
                new OnDemandInput("customer_activity", "purchases_30d", FeatureValueType.Int64),
            ],
            [new SourceField("as_of", FeatureValueType.Timestamp)], features, ObjectMetadata.Empty, Version: 1);
    }

    private static (double MicrosPerRow, long BytesPerRow) Measure(Action call, int calls, int rowsPerCall)
    {
        for (var i = 0; i < Math.Min(200, calls); i++) call(); // warm: compiled once, connections pooled, JIT done
        var runs = new List<double>();
        long bytes = 0;
        for (var run = 0; run < 5; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++) call();
            runs.Add(clock.Elapsed.TotalMicroseconds / ((double)calls * rowsPerCall));
            bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / ((long)calls * rowsPerCall);
        }
        return (runs.Order().ElementAt(2), bytes);
    }
}
