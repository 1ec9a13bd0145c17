namespace FeatureStore.Domain;

/// <summary>
/// Column names the system itself puts beside features, so no feature may take them: the offline
/// table's time columns, DuckDB's row number, and the '__' prefix of working columns (which also
/// separates view and feature in full feature names).
/// </summary>
public static class FeatureNames
{
    public const string EventTimestamp = "event_timestamp";
    public const string CreatedTimestamp = "created_timestamp";
    public const string FileRowNumber = "file_row_number";
    public const string WorkingPrefix = "__";

    public const string ReservedReason =
        $"'{EventTimestamp}', '{CreatedTimestamp}' and '{FileRowNumber}' are columns of the feature tables " +
            $"and names starting with '{WorkingPrefix}' are the system's own";

    // SQL identifiers ignore case, so neither does the check.
    public static bool IsReserved(string name) =>
        name.StartsWith(WorkingPrefix, StringComparison.Ordinal)
        || string.Equals(name, EventTimestamp, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, CreatedTimestamp, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, FileRowNumber, StringComparison.OrdinalIgnoreCase);
}
