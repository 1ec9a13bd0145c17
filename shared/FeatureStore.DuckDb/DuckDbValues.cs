using System.Data.Common;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb;

/// <summary>Feature values across DuckDB's .NET boundary: read from a result as their declared CLR type, and appended back.</summary>
public static class DuckDbValues
{
    /// <summary>The value at <paramref name="ordinal"/> as <see cref="FeatureValues.Normalize"/> gives it (null when SQL NULL).</summary>
    public static object? Read(DbDataReader reader, int ordinal, FeatureValueType type) =>
        reader.IsDBNull(ordinal) ? null : FeatureValues.Normalize(type, Unwrap(reader.GetValue(ordinal)));

    /// <summary>DuckDB hands blobs back as a stream over its own memory, valid only while the row is current.</summary>
    public static object Unwrap(object value)
    {
        if (value is not Stream stream) return value;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Appends a normalised value (or null) of <paramref name="type"/> to an appender row.</summary>
    public static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, FeatureValueType type, object? value) => value switch
    {
        null => row.AppendNullValue(),
        int i => row.AppendValue(i),
        long l => row.AppendValue(l),
        float f => row.AppendValue(f),
        double d => row.AppendValue(d),
        bool b => row.AppendValue(b),
        string s => row.AppendValue(s),
        byte[] bytes => row.AppendValue(bytes),
        DateTimeOffset t => row.AppendValue(t),
        int[] ints => row.AppendValue<int>(ints),
        long[] longs => row.AppendValue<long>(longs),
        float[] floats => row.AppendValue<float>(floats),
        double[] doubles => row.AppendValue<double>(doubles),
        _ => throw new ArgumentException($"a {value.GetType().Name} is not a normalised {type.ToName()} value", nameof(value)),
    };
}
