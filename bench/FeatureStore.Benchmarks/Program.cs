using FeatureStore.Benchmarks;

// Load drivers that print figures beside a baseline measured in the same run. Not run by the tests.
//   eng/infra.sh start && eval "$(eng/infra.sh env)"
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- online-store [--rows N] [--features N] [--reads N]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- registry [--views N] [--features N] [--reads N]
//       [--store postgres|sqlite]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- pipeline [--rows N] [--features N] [--entities N] [--memory-limit 2GB]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- serving [--features 50] [--entities N] [--seconds 10]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- historical [--rows 10000000] [--entities 1000000] [--features 5]
//     [--created true|false] [--ties false|true]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- historical-sample [--entities 1000 customers]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- predict [--entities 2000 customers] [--seconds 10]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- rerun [--rows 2000000] [--features 10] [--entities N]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- ondemand [--reads 20000 (rows per measurement)]
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- apphost-start
//   dotnet run -c Release --project bench/FeatureStore.Benchmarks -- fuzz --rows 50000 [--entities 14 (the seed)]
var options = BenchmarkOptions.Parse(args);
switch (options.Name)
{
    case "online-store":
        await OnlineStoreBenchmark.RunAsync(options);
        return 0;
    case "registry":
        await RegistryBenchmark.RunAsync(options);
        return 0;
    case "pipeline":
        await PipelineBenchmark.RunAsync(options);
        return 0;
    case "serving":
        await ServingBenchmark.RunAsync(options);
        return 0;
    case "historical":
        await HistoricalBenchmark.RunAsync(options);
        return 0;
    case "historical-sample":
        await SampleHistoricalBenchmark.RunAsync(options);
        return 0;
    case "predict":
        await PredictBenchmark.RunAsync(options);
        return 0;
    case "ondemand":
        await OnDemandBenchmark.RunAsync(options);
        return 0;
    case "apphost-start":
        await AppHostStartBenchmark.RunAsync(options);
        return 0;
    case "rerun":
        await RerunBenchmark.RunAsync(options);
        return 0;
    case "fuzz":
        await FuzzBenchmark.RunAsync(options);
        return 0;
    case "historical-baseline": // the plain ASOF JOIN, in a child process of "historical"
        HistoricalBenchmark.RunBaseline(options);
        return 0;
    case "pipeline-run": // one measured run, in a child process of "pipeline"
        await PipelineBenchmark.RunOnceAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("usage: online-store [--rows N] [--features N] [--reads N] | registry [--views N] [--features N] " +
            "[--reads N] [--store postgres|sqlite] | pipeline [--rows N] [--features N] [--entities N] [--memory-limit SIZE] | serving " +
            "[--features N] [--entities N] [--seconds N] | historical [--rows N] [--entities N] [--features N] | historical-sample " +
            "[--entities N] | predict [--entities N] " +
            "[--seconds N] | rerun [--rows N] [--features N] [--entities N] | apphost-start");
        return 2;
}
