using System.Collections;
using System.Data.Common;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>
/// One feature of a <see cref="HeldHistory"/>, a value per row: numbers, flags and times in arrays of their own type (eight
/// bytes a row at most, no object per value), text, bytes and arrays as the objects they are.
/// </summary>
public abstract class HeldColumn
{
    public abstract void Read(DbDataReader reader, int ordinal, int row);

    /// <summary>The row's value (or null) appended to <paramref name="target"/>.</summary>
    public abstract IDuckDBAppenderRow Append(IDuckDBAppenderRow target, int row);

    public abstract long BytesPerRow { get; }

    public static HeldColumn For(FeatureValueType type, int rows) => type switch
    {
        FeatureValueType.Int32 => new Values<int>(rows, 4, (r, o) => r.GetInt32(o), (t, v) => t.AppendValue(v)),
        FeatureValueType.Int64 => new Values<long>(rows, 8, (r, o) => r.GetInt64(o), (t, v) => t.AppendValue(v)),
        FeatureValueType.Float32 => new Values<float>(rows, 4, (r, o) => r.GetFloat(o), (t, v) => t.AppendValue(v)),
        FeatureValueType.Float64 => new Values<double>(rows, 8, (r, o) => r.GetDouble(o), (t, v) => t.AppendValue(v)),
        FeatureValueType.Bool => new Values<bool>(rows, 1, (r, o) => r.GetBoolean(o), (t, v) => t.AppendValue(v)),
        FeatureValueType.Timestamp => new Values<long>(rows, 8, (r, o) => FeatureValues.ToTimestamp(r.GetValue(o))!.Value.UtcTicks,
            (t, v) => t.AppendValue(new DateTimeOffset(v, TimeSpan.Zero))),
        _ => new Objects(rows, type),
    };

    private sealed class Values<T>(int rows, int size, Func<DbDataReader, int, T> read,
        Func<IDuckDBAppenderRow, T, IDuckDBAppenderRow> append) : HeldColumn where T : struct
    {
        private readonly T[] _values = new T[rows];
        private readonly BitArray _nulls = new(rows);

        public override long BytesPerRow => size;

        public override void Read(DbDataReader reader, int ordinal, int row)
        {
            if (reader.IsDBNull(ordinal)) _nulls[row] = true;
            else _values[row] = read(reader, ordinal);
        }

        public override IDuckDBAppenderRow Append(IDuckDBAppenderRow target, int row) =>
            _nulls[row] ? target.AppendNullValue() : append(target, _values[row]);
    }

    private sealed class Objects(int rows, FeatureValueType type) : HeldColumn
    {
        private readonly object?[] _values = new object?[rows];

        public override long BytesPerRow => 8 + 32;

        public override void Read(DbDataReader reader, int ordinal, int row) => _values[row] = DuckDbValues.Read(reader, ordinal, type);

        public override IDuckDBAppenderRow Append(IDuckDBAppenderRow target, int row) => DuckDbValues.Append(target, type, _values[row]);
    }
}
