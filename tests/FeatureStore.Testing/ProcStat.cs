using System.Globalization;

namespace FeatureStore.Testing;

/// <summary>
/// A process's line of Linux's <c>/proc/PID/stat</c>, for tests and benchmarks that watch the processes they start. The
/// command name (the 2nd field, in parentheses) may hold spaces, so the fields are read after its closing parenthesis.
/// </summary>
public static class ProcStat
{
    /// <summary>Every process the machine has now.</summary>
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Select(n => int.TryParse(n, out var pid) ? pid : -1).Where(pid => pid > 0);

    /// <summary>The fields after the command name, from the state (the line's 3rd field) on; null when the process is gone.</summary>
    public static string[]? Fields(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    /// <summary>The process exists and is not a zombie (orphans may not be reaped at once here).</summary>
    public static bool IsAlive(int pid) => Fields(pid) is [var state, ..] && state != "Z";

    /// <summary>The parent's pid; -1 when the process is gone.</summary>
    public static int ParentOf(int pid) => Fields(pid) is [_, var parent, ..] && int.TryParse(parent, out var p) ? p : -1;

    /// <summary>The CPU time the process has used so far, user and system, all threads (utime and stime, the line's 14th and
    /// 15th fields, in clock ticks of 1/100 s: USER_HZ on Linux).</summary>
    public static double CpuSeconds(int pid) => Fields(pid) is { } fields
        ? (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0
        : throw new InvalidOperationException($"process {pid} is gone");
}
