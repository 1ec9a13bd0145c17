namespace FeatureStore.AppHost.Tests;

/// <summary>The machine's processes as Linux's /proc shows them: who runs what, below whom, and whether it still lives.</summary>
public static class Processes
{
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Select(n => int.TryParse(n, out var pid) ? pid : -1).Where(pid => pid > 0);

    /// <summary>A process and all below it.</summary>
    public static IEnumerable<int> WithDescendants(int root)
    {
        var children = All().Select(pid => (Pid: pid, Parent: ParentOf(pid))).ToLookup(p => p.Parent, p => p.Pid);
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
        All().Where(pid => pid != Environment.ProcessId && CommandLine(pid).Contains(text, StringComparison.Ordinal));

    /// <summary>Alive: it exists and is not a zombie (nothing reaps orphans here).</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && StateOf(stat) != 'Z';

    public static string Describe(int pid) => $"{pid} {CommandLine(pid)[..Math.Min(120, CommandLine(pid).Length)]}";

    private static int ParentOf(int pid) => Stat(pid) is { } stat && stat[(stat.LastIndexOf(')') + 2)..].Split(' ') is [_, var parent, ..]
        && int.TryParse(parent, out var p) ? p : -1;

    private static char StateOf(string stat) => stat[stat.LastIndexOf(')') + 2];

    private static string? Stat(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
