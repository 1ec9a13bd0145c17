using System.Diagnostics;

namespace FeatureStore.Testing;

/// <summary>What one run of the <c>featurestore</c> tool printed and how it exited.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs the built <c>featurestore</c> tool as a process (<c>dotnet featurestore.dll …</c>) in a directory, with an
/// environment of its own (no FEATURESTORE_* variables leak in from the test run's).</summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(RepoPaths.Root, "tools", "FeatureStore.Cli", "bin", RepoPaths.Configuration, "net10.0",
        "featurestore.dll");

    public static async Task<CliRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException($"the tool is not built: {Dll} is missing (build the solution first)");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FEATURESTORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
