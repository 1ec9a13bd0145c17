using System.Collections.Concurrent;
using System.Diagnostics;

namespace FeatureStore.Testing;

/// <summary>
/// The servers and services tests start, until they are stopped: whatever is still running when the test host exits is
/// killed then. xUnit does not dispose a test class whose <c>InitializeAsync</c> threw, so a class that started a cluster
/// there would otherwise leave its processes running after the run.
/// </summary>
public static class LeftoverProcesses
{
    private static readonly ConcurrentDictionary<int, byte> Running = new();

    static LeftoverProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var pid in Running.Keys) Kill(pid);
    };

    /// <summary>Notes a started process, to be killed at exit unless <see cref="Stopped"/> is said first.</summary>
    public static void Started(int pid) => Running.TryAdd(pid, 0);

    public static void Stopped(int pid) => Running.TryRemove(pid, out _);

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { } // already gone
    }
}
