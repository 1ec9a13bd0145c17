using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.Options;

namespace FeatureStore.Registry.Sources;

/// <summary>
/// Puts a received file in place as a batch source's data: reads it (CSV converted to Parquet), checks it
/// (<see cref="SourceFileChecks"/>) and only then stores it at the source's path, replacing what was there.
/// A file that fails any check leaves the stored object as it was.
/// </summary>
public sealed partial class SourceUploads(IDefinitionStore store, IObjectStore objects, IOptions<UploadOptions> options,
    ILogger<SourceUploads> logger)
{
    public long MaxBytes => options.Value.MaxBytes;

    /// <summary>A fresh directory for one upload; the caller deletes it when done.</summary>
    public string NewWorkDirectory() =>
        Directory.CreateDirectory(Path.Combine(options.Value.WorkDirectory, $"u-{Guid.NewGuid():N}")).FullName;

    /// <param name="file">The received body, inside <paramref name="workDirectory"/> (the only place DuckDB may read).</param>
    public async Task<SourceFileDto> StoreAsync(DataSourceDefinition source, string file, SourceFileFormat format, string workDirectory,
        CancellationToken cancellationToken)
    {
        // A source with a declared schema is checked against it; one without is checked against what reads it.
        var views = source.Schema is { Count: > 0 } ? [] : await ViewsReadingAsync(source, cancellationToken);
        ReadSourceFile read;
        using (var reader = SourceFileReader.Open(workDirectory, options.Value))
            read = format == SourceFileFormat.Csv
                ? reader.ConvertCsv(file, SourceFileChecks.CsvTypes(source), Path.Combine(workDirectory, "converted.parquet"))
                : reader.ReadParquet(file);
        SourceFileChecks.Check(source, read.Columns, views);
        var (hash, size) = await objects.PutFileAsync(source.Path, read.ParquetPath, cancellationToken);
        Stored(logger, source.Project, source.Name, source.Path, read.Rows, size, format.MediaType());
        return new SourceFileDto(source.Name, source.Project, source.Path, size, read.Rows, hash, format.MediaType(),
            read.Columns.Select(c => new SourceFileColumnDto(c.Name, c.Type?.ToName(), c.SqlType)).ToList());
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Source {Project}/{Source}: stored {Rows} rows ({Bytes} bytes, read as {ContentType}) at {Path}")]
    private static partial void Stored(ILogger logger, string project, string source, string path, long rows, long bytes,
        string contentType);

    /// <summary>
    /// The latest version of every feature view that reads this source's object: views over the source itself and over
    /// push sources it backs (a view's source is resolved to the object it reads, so the path says both).
    /// </summary>
    private async Task<IReadOnlyList<FeatureViewDefinition>> ViewsReadingAsync(DataSourceDefinition source,
        CancellationToken cancellationToken) =>
        (await store.ListObjectsAsync(source.Project, ObjectKind.FeatureView, cancellationToken))
        .Select(o => o.Read<FeatureViewDefinition>())
        .Where(v => v.Source.Name == source.Name || v.Source.Path == source.Path)
        .OrderBy(v => v.Name, StringComparer.Ordinal)
        .ToList();
}
