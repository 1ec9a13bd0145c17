namespace FeatureStore.Domain;

/// <summary>
/// Where offline tables live in the object store (docs/semantics.md, data layout): a view history's feature table under the
/// version that started the history (<see cref="ViewHistory"/>), a push source's log of pushed rows, and a feature service's log
/// of served values.
/// </summary>
public static class OfflineTables
{
    public static string Prefix(string project, string view, int history) => $"offline/{project}/{view}/v{history}";

    /// <summary>The key of one file of the table: <c>{prefix}/date=YYYY-MM-DD/{file}</c>.</summary>
    public static string FileKey(string project, string view, int history, string date, string fileName) =>
        $"{Prefix(project, view, history)}/date={date}/{fileName}";

    public static string LogPrefix(string project, string service) => $"logs/{project}/{service}";

    /// <summary>The key of one file of a feature service's log of served values: <c>logs/{project}/{service}/date=YYYY-MM-DD/{file}</c>.
    /// </summary>
    public static string LogKey(string project, string service, string date, string fileName) =>
        $"{LogPrefix(project, service)}/date={date}/{fileName}";

    public static string PushLogPrefix(string project, string source) => $"pushes/{project}/{source}";

    /// <summary>The key of one file of a push source's log: <c>pushes/{project}/{source}/date=YYYY-MM-DD/{file}</c>.</summary>
    public static string PushLogKey(string project, string source, string date, string fileName) =>
        $"{PushLogPrefix(project, source)}/date={date}/{fileName}";
}
