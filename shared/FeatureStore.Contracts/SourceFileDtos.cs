namespace FeatureStore.Contracts;

/// <summary>
/// <c>PUT /api/v1/data-sources/{name}/file</c>: the file now stored at the source's path. <see cref="Fingerprint"/> is the
/// SHA-256 (lower-case hex) of the stored bytes, as the offline catalog's content hashes are; <see cref="ContentType"/>
/// is how the body was read (a CSV is stored as the Parquet file it was converted to).
/// </summary>
public sealed record SourceFileDto(
    string Source, string Project, string Path, long SizeBytes, long Rows, string Fingerprint, string ContentType,
    IReadOnlyList<SourceFileColumnDto> Columns);

/// <summary>A column of the stored file: its feature type (null when none fits) and its DuckDB type.</summary>
public sealed record SourceFileColumnDto(string Name, string? Type, string SqlType);
