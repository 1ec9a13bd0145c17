namespace FeatureStore.Benchmarks;

public sealed record BenchmarkOptions(string Name, int Rows, int Features, int Reads)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        int Value(string flag, int fallback) =>
            Array.IndexOf(args, flag) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        return new BenchmarkOptions(args.FirstOrDefault() ?? "", Value("--rows", 200_000), Value("--features", 20), Value("--reads", 20_000));
    }
}
