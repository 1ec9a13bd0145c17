using System.Diagnostics;
using System.Globalization;

namespace FeatureStore.Benchmarks;

/// <summary>One measured run in a fresh process of this benchmark, so the peak memory it reports is the run's own.</summary>
public static class ChildRun
{
    /// <summary>Runs mode <paramref name="mode"/>; the child ends by printing <c>RESULT seconds peakBytes</c>
    /// (<see cref="Report"/>).</summary>
    public static (double Seconds, long PeakBytes) Run(string mode, BenchmarkOptions options)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Started as "dotnet FeatureStore.Benchmarks.dll": the host needs the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(typeof(ChildRun).Assembly.Location);
        foreach (var argument in options.ToArguments(mode)) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var result = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))?.Split(' ')
                     ?? throw new InvalidOperationException($"the {mode} run failed (exit {child.ExitCode}):\n{output}");
        return (double.Parse(result[1], CultureInfo.InvariantCulture), long.Parse(result[2], CultureInfo.InvariantCulture));
    }

    /// <summary>What a child prints last: its measured seconds and this process's peak resident memory.</summary>
    public static void Report(double seconds) =>
        Console.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"RESULT {seconds} {ProcessMemory.PeakResidentBytes(Environment.ProcessId)}"));
}
