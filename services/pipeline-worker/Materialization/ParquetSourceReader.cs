using System.Collections.Concurrent;
using System.Reflection;
using Parquet;
using Parquet.Schema;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>Columns of one row group, as boxed values (null where the column is null).</summary>
public sealed record ColumnBatch(int RowCount, IReadOnlyList<object?[]> Columns);

/// <summary>
/// Reads named columns of a Parquet source one row group at a time, so memory follows the row group
/// size rather than the file size.
/// </summary>
public sealed class ParquetSourceReader : IAsyncDisposable
{
    private static readonly MethodInfo ReadStructMethod = typeof(ParquetSourceReader).GetMethod(nameof(ReadStructAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly ConcurrentDictionary<Type, Func<ParquetRowGroupReader, DataField, int, CancellationToken, Task<object?[]>>> StructReaders = new();

    private readonly ParquetReader _reader;
    private readonly Dictionary<string, DataField> _fields;

    private ParquetSourceReader(ParquetReader reader)
    {
        _reader = reader;
        _fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public static async Task<ParquetSourceReader> OpenAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return new ParquetSourceReader(await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new MaterializationException($"the source is not a readable Parquet file: {e.Message}", e);
        }
    }

    public IReadOnlyCollection<string> ColumnNames => _fields.Keys;

    public bool HasColumn(string name) => _fields.ContainsKey(name);

    public async IAsyncEnumerable<ColumnBatch> ReadAsync(IReadOnlyList<string> columns,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fields = columns.Select(name => _fields.TryGetValue(name, out var field) ? field
            : throw new MaterializationException($"the source has no column '{name}' (it has: {string.Join(", ", _fields.Keys)})")).ToList();
        foreach (var field in fields.Where(f => f.IsArray))
            throw new MaterializationException($"column '{field.Name}' is a list; list columns are not supported by this reader yet");
        for (var group = 0; group < _reader.RowGroupCount; group++)
        {
            using var rowGroup = _reader.OpenRowGroupReader(group);
            var rowCount = checked((int)rowGroup.RowCount);
            var values = new List<object?[]>(fields.Count);
            foreach (var field in fields) values.Add(await ReadColumnAsync(rowGroup, field, rowCount, cancellationToken));
            yield return new ColumnBatch(rowCount, values);
        }
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, int rowCount, CancellationToken cancellationToken)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rowCount];
            await rowGroup.ReadAsync(field, strings.AsMemory(), null, cancellationToken);
            return strings;
        }
        if (field.ClrType == typeof(byte[]))
        {
            var bytes = new byte[]?[rowCount];
            await rowGroup.ReadAsync(field, bytes.AsMemory(), null, cancellationToken);
            return bytes;
        }
        if (!field.ClrType.IsValueType)
            throw new MaterializationException($"column '{field.Name}' has Parquet type {field.ClrType.Name}, which features cannot hold");
        var read = StructReaders.GetOrAdd(field.ClrType, type =>
            ReadStructMethod.MakeGenericMethod(type).CreateDelegate<Func<ParquetRowGroupReader, DataField, int, CancellationToken, Task<object?[]>>>());
        return await read(rowGroup, field, rowCount, cancellationToken);
    }

    private static async Task<object?[]> ReadStructAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rowCount, CancellationToken cancellationToken)
        where T : struct
    {
        var boxed = new object?[rowCount];
        // A required column must be read without definition levels: through the nullable overload,
        // Parquet.Net 6.1 can report rows of a required column as null (seen intermittently).
        if (!field.IsNullable)
        {
            var required = new T[rowCount];
            await rowGroup.ReadAsync<T>(field, required.AsMemory(), null, cancellationToken);
            for (var i = 0; i < rowCount; i++) boxed[i] = required[i];
            return boxed;
        }
        var values = new T?[rowCount];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken);
        for (var i = 0; i < rowCount; i++) boxed[i] = values[i];
        return boxed;
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
