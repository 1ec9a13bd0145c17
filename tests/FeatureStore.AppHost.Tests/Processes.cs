using FeatureStore.Testing;

namespace FeatureStore.AppHost.Tests;

/// <summary>The machine's processes as Linux's /proc shows them: who runs what and below whom (<see cref="ProcStat"/> says whether
/// one still lives).</summary>
public static class Processes
{
    /// <summary>A process and all below it.</summary>
    public static IEnumerable<int> WithDescendants(int root)
    {
        var children = ProcStat.All().Select(pid => (Pid: pid, Parent: ProcStat.ParentOf(pid))).ToLookup(p => p.Parent, p => p.Pid);
        var found = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            found.Add(pid);
            foreach (var child in children[pid]) pending.Push(child);
        }
        return found;
    }

    public static IEnumerable<int> WhereCommandLineContains(string text) =>
        ProcStat.All().Where(pid => pid != Environment.ProcessId && CommandLine(pid).Contains(text, StringComparison.Ordinal));

    public static string Describe(int pid) => $"{pid} {CommandLine(pid)[..Math.Min(120, CommandLine(pid).Length)]}";

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
