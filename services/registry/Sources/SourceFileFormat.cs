using System.Net.Http.Headers;

namespace FeatureStore.Registry.Sources;

/// <summary>How an uploaded source file is read: Parquet (stored as sent) or CSV with a header row (converted to Parquet).</summary>
public enum SourceFileFormat { Parquet, Csv }

public static class SourceFileFormats
{
    public const string ParquetMediaType = "application/vnd.apache.parquet";
    public const string CsvMediaType = "text/csv";

    // application/octet-stream counts as Parquet: it is what generic tools send for a binary file.
    private static readonly string[] ParquetMediaTypes =
        [ParquetMediaType, "application/parquet", "application/x-parquet", "application/octet-stream"];

    public static string Accepted =>
        $"{ParquetMediaType} (or application/parquet, application/x-parquet, application/octet-stream) or {CsvMediaType}";

    /// <summary>
    /// The format a <c>Content-Type</c> names, or null when it names none we read. CSV is read as UTF-8, so a CSV
    /// declared in another charset is refused rather than read wrongly.
    /// </summary>
    public static SourceFileFormat? FromContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is not { } media) return null;
        if (ParquetMediaTypes.Contains(media, StringComparer.OrdinalIgnoreCase)) return SourceFileFormat.Parquet;
        if (!string.Equals(media, CsvMediaType, StringComparison.OrdinalIgnoreCase)) return null;
        var charset = parsed.CharSet?.Trim('"');
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            ? SourceFileFormat.Csv : null;
    }

    /// <summary>The media type a file was read as, as the upload's answer reports it.</summary>
    public static string MediaType(this SourceFileFormat format) => format == SourceFileFormat.Csv ? CsvMediaType : ParquetMediaType;
}
