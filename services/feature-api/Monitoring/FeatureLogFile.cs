using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;
using Parquet;
using Parquet.Schema;

namespace FeatureStore.FeatureApi.Monitoring;

/// <summary>
/// Sampled reads of one feature service version, taken into typed columns as they come (a read is released at once: a logged
/// value costs its copy into an array, not the answer it came in) and written as one Parquet file. Columns:
/// <c>__log_timestamp</c>, <c>__request_id</c>, the join keys, and per feature <c>{view}__{feature}</c>, <c>…__timestamp</c>,
/// <c>…__status</c>. Array features are kept as their JSON text. Columns grow in arrays rented from the shared pool (a file of
/// 20,000 rows × 150 columns would otherwise churn the large-object heap, whose collections pause the reads being served):
/// dispose the file to return them.
/// </summary>
public sealed class FeatureLogFile : IDisposable
{
    public const string LogTime = "__log_timestamp";
    public const string RequestId = "__request_id";

    private readonly IReadOnlyList<JoinKey> _keys;
    private readonly TimeColumn _logTime = new(LogTime);
    private readonly TextColumn _requestId = new(RequestId, FeatureValueType.String);
    private readonly List<LogColumn> _keyColumns;
    private readonly List<(LogColumn Value, TimeColumn Time, TextColumn Status)> _outputs;

    public FeatureLogFile(FeatureSelection selection)
    {
        _keys = selection.Views.SelectMany(v => v.JoinKeys).DistinctBy(k => k.Name).ToList();
        _keyColumns = _keys.Select(k => ColumnOf(k.Name, k.Type)).ToList();
        _outputs = selection.Outputs.Select(o => (ColumnOf(Column(o), o.Type), new TimeColumn($"{Column(o)}__timestamp"),
            new TextColumn($"{Column(o)}__status", FeatureValueType.String))).ToList();
    }

    public static string Column(SelectedFeature output) => $"{output.Ref.View}__{output.Ref.Feature}";

    public long Rows { get; private set; }
    public DateTimeOffset? First { get; private set; }
    public DateTimeOffset? Last { get; private set; }

    public void Add(LoggedRead read)
    {
        First ??= read.At;
        Last = read.At;
        for (var row = 0; row < read.RowCount; row++)
        {
            _logTime.Add(read.At);
            _requestId.Add(read.RequestId);
            for (var k = 0; k < _keys.Count; k++)
                _keyColumns[k].Add(read.Entities.TryGetValue(_keys[k].Name, out var values) ? values[row] : null);
            for (var o = 0; o < _outputs.Count; o++)
            {
                var reading = read.Readings[o, row];
                _outputs[o].Value.Add(reading.Value);
                _outputs[o].Time.Add(reading.EventTime);
                _outputs[o].Status.Add(reading.Status.WireName());
            }
        }
        Rows += read.RowCount;
    }

    private IEnumerable<LogColumn> Columns =>
        new LogColumn[] { _logTime, _requestId }.Concat(_keyColumns).Concat(_outputs.SelectMany(o => new[] { o.Value, o.Time, o.Status }));

    /// <summary>Snappy, not Zstd: a log is written while reads are served on the same cores, and Snappy costs a fraction of the
    /// CPU for files somewhat larger. Dictionary encoding is tried only on columns whose first values repeat (statuses, request
    /// ids), not after a scan of every value of every column.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var columns = Columns.ToList();
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field)), file,
            new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, DictionaryEncodingSampleSize = 1000 },
            cancellationToken: cancellationToken);
        using var group = writer.CreateRowGroup();
        foreach (var column in columns) await column.WriteAsync(group, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var column in Columns) column.Dispose();
    }

    private static LogColumn ColumnOf(string name, FeatureValueType type) => type switch
    {
        FeatureValueType.Int32 => new ValueColumn<int>(name, e => e.GetInt32()),
        FeatureValueType.Int64 => new ValueColumn<long>(name, e => e.GetInt64()),
        FeatureValueType.Float32 => new ValueColumn<float>(name, e => e.GetSingle()),
        FeatureValueType.Float64 => new ValueColumn<double>(name, e => e.GetDouble()),
        FeatureValueType.Bool => new ValueColumn<bool>(name, e => e.GetBoolean()),
        FeatureValueType.Timestamp => new TimeColumn(name),
        FeatureValueType.Bytes => new BytesColumn(name),
        _ => new TextColumn(name, type),
    };

    private abstract class LogColumn(DataField field) : IDisposable
    {
        public DataField Field { get; } = field;

        /// <summary>A served JSON value (null or absent: a null).</summary>
        public abstract void Add(JsonElement? value);

        public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);

        public abstract void Dispose();
    }

    private sealed class ValueColumn<T>(string name, Func<JsonElement, T> read) : LogColumn(new DataField<T?>(name, true)) where T : struct
    {
        private readonly PooledColumn<T?> _values = new();

        public override void Add(JsonElement? value) =>
            _values.Add(value is { ValueKind: not JsonValueKind.Null } json ? read(json) : null);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync<T>(Field, _values.Memory, null, null, cancellationToken);

        public override void Dispose() => _values.Dispose();
    }

    /// <summary>UTC instants to the microsecond (read as TIMESTAMP). Not the Timestamp logical type with micros: Parquet.Net 6.1
    /// writes its min/max statistics wrong, and readers that prune by them (DuckDB) skip rows a filter should find.</summary>
    private sealed class TimeColumn(string name)
        : LogColumn(new DateTimeDataField(name, DateTimeFormat.DateAndTimeMicros, isAdjustedToUTC: true, isNullable: true))
    {
        private readonly PooledColumn<DateTime?> _values = new();

        public void Add(DateTimeOffset? time) => _values.Add(time?.UtcDateTime);

        public override void Add(JsonElement? value) =>
            Add(value is { ValueKind: JsonValueKind.String } json && json.TryGetDateTimeOffset(out var time) ? time : null);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync<DateTime>(Field, _values.Memory, null, null, cancellationToken);

        public override void Dispose() => _values.Dispose();
    }

    /// <summary>Text; for array features, the value's JSON.</summary>
    private sealed class TextColumn(string name, FeatureValueType type) : LogColumn(new DataField<string>(name, true))
    {
        private readonly PooledColumn<string?> _values = new();

        public void Add(string text) => _values.Add(text);

        public override void Add(JsonElement? value) => _values.Add(value switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } json when type == FeatureValueType.String => json.GetString(),
            { } json => json.GetRawText(),
        });

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, _values.Segment!, null);

        public override void Dispose() => _values.Dispose();
    }

    private sealed class BytesColumn(string name) : LogColumn(new DataField<byte[]>(name, true))
    {
        private readonly PooledColumn<byte[]?> _values = new();

        public override void Add(JsonElement? value) =>
            _values.Add(value is { ValueKind: JsonValueKind.String } json && json.TryGetBytesFromBase64(out var bytes) ? bytes : null);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, _values.Segment!, null);

        public override void Dispose() => _values.Dispose();
    }

    /// <summary>A column's values in an array rented from the shared pool, doubled (and the old one returned) as it fills.</summary>
    private sealed class PooledColumn<T> : IDisposable
    {
        private T[] _items = ArrayPool<T>.Shared.Rent(1024);
        private int _count;

        public Memory<T> Memory => _items.AsMemory(0, _count);
        public ArraySegment<T> Segment => new(_items, 0, _count);

        public void Add(T item)
        {
            if (_count == _items.Length)
            {
                var larger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
                Array.Copy(_items, larger, _count);
                Return(_items);
                _items = larger;
            }
            _items[_count++] = item;
        }

        public void Dispose()
        {
            Return(_items);
            _items = [];
            _count = 0;
        }

        private static void Return(T[] items)
        {
            if (items.Length > 0) ArrayPool<T>.Shared.Return(items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }
}
