namespace FeatureStore.Benchmarks;

public sealed record BenchmarkOptions(string Name, int Rows, int Features, int Reads, int Views = 500, string Store = "postgres",
    int Entities = 0, string MemoryLimit = "2GB", string? Source = null, double Seconds = 10, bool Created = true, bool Ties = false)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        int Value(string flag, int fallback) =>
            Array.IndexOf(args, flag) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        string? Text(string flag, string? fallback) =>
            Array.IndexOf(args, flag) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        return new BenchmarkOptions(args.FirstOrDefault() ?? "", Value("--rows", 200_000), Value("--features", 20),
            Value("--reads", 20_000),
            Value("--views", 500), Text("--store", "postgres")!, Value("--entities", 0),
            Text("--memory-limit", "2GB")!, Text("--source", null),
            Value("--seconds", 10), Text("--created", "true") != "false", Text("--ties", "false") == "true");
    }

    /// <summary>The same options as command-line arguments, for a child process.</summary>
    public string[] ToArguments(string name) =>
        [name, "--rows", $"{Rows}", "--features", $"{Features}", "--entities", $"{Entities}", "--memory-limit", MemoryLimit,
            .. Source is null ? [] : new[] { "--source", Source }];
}
