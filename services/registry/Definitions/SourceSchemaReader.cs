using FeatureStore.Domain;
using FeatureStore.Storage.Objects;
using Parquet;
using Parquet.Schema;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// The columns of a source: as declared in its definition, or read from the footer of its Parquet
/// object when it declares none. Null when neither is available (the data may not have landed yet).
/// </summary>
public sealed class SourceSchemaReader(IObjectStore objects)
{
    private readonly Dictionary<string, IReadOnlyList<SourceField>?> _read = [];

    public async Task<(IReadOnlyList<SourceField>? Columns, string? Problem)> ReadAsync(ViewSource source,
        CancellationToken cancellationToken)
    {
        if (source.Schema is { Count: > 0 } declared) return (declared, null);
        if (_read.TryGetValue(source.Path, out var cached)) return (cached, cached is null ? Missing(source) : null);
        try
        {
            await using var stream = await objects.OpenReadAsync(source.Path, cancellationToken);
            var schema = await ParquetReader.ReadSchemaAsync(stream);
            var columns = schema.GetDataFields().Select(f => (f.Name, Type: TypeOf(f))).Where(c => c.Type is not null)
                .Select(c => new SourceField(c.Name, c.Type!.Value)).ToList();
            _read[source.Path] = columns;
            return (columns, null);
        }
        catch (StoredObjectNotFoundException)
        {
            _read[source.Path] = null;
            return (null, Missing(source));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            return (null, $"the schema of '{source.Path}' could not be read: {e.Message}");
        }
    }

    private static string Missing(ViewSource source) =>
        $"source '{source.Name}' declares no schema and '{source.Path}' is not in the object store yet; "
        + "declare the source's schema or upload the data first"
        + (source.SourceKind == SourceKind.Batch ? $" (PUT /api/v1/data-sources/{source.Name}/file)" : " to the batch source behind it");

    private static FeatureValueType? TypeOf(DataField field)
    {
        var clr = field.ClrType;
        FeatureValueType? scalar =
            clr == typeof(long) || clr == typeof(uint) ? FeatureValueType.Int64
            : clr == typeof(int) || clr == typeof(short) || clr == typeof(ushort) || clr == typeof(byte) || clr == typeof(sbyte)
                ? FeatureValueType.Int32
            : clr == typeof(float) ? FeatureValueType.Float32
            : clr == typeof(double) || clr == typeof(decimal) ? FeatureValueType.Float64
            : clr == typeof(bool) ? FeatureValueType.Bool
            : clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>) ? FeatureValueType.String
            : clr == typeof(byte[]) ? FeatureValueType.Bytes
            : clr == typeof(DateTime) || clr == typeof(DateTimeOffset) || clr == typeof(DateOnly) ? FeatureValueType.Timestamp
            : null;
        if (!field.IsArray) return scalar;
        return scalar switch
        {
            FeatureValueType.Int32 => FeatureValueType.Int32Array,
            FeatureValueType.Int64 => FeatureValueType.Int64Array,
            FeatureValueType.Float32 => FeatureValueType.Float32Array,
            FeatureValueType.Float64 => FeatureValueType.Float64Array,
            _ => null,
        };
    }
}
