namespace FeatureStore.Domain;

/// <summary>Where a view version's offline feature table lives in the object store (DESIGN.md, data layout).</summary>
public static class OfflineTables
{
    public static string Prefix(string project, string view, int version) => $"offline/{project}/{view}/v{version}";

    /// <summary>The key of one file of the table: <c>{prefix}/date=YYYY-MM-DD/{file}</c>.</summary>
    public static string FileKey(string project, string view, int version, string date, string fileName) =>
        $"{Prefix(project, view, version)}/date={date}/{fileName}";
}
