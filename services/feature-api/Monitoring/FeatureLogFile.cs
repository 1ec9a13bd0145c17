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
/// <c>…__status</c>. Array features are kept as their JSON text.
/// </summary>
public sealed class FeatureLogFile
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
                var reading = read.Readings[o][row];
                _outputs[o].Value.Add(reading.Value);
                _outputs[o].Time.Add(reading.EventTime);
                _outputs[o].Status.Add(OnlineResponseJson.StatusText(reading.Status));
            }
        }
        Rows += read.RowCount;
    }

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var columns = new List<LogColumn> { _logTime, _requestId };
        columns.AddRange(_keyColumns);
        columns.AddRange(_outputs.SelectMany(o => new[] { o.Value, o.Time, o.Status }));
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field)), file,
            new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }, cancellationToken: cancellationToken);
        using var group = writer.CreateRowGroup();
        foreach (var column in columns) await column.WriteAsync(group, cancellationToken);
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

    private abstract class LogColumn(DataField field)
    {
        public DataField Field { get; } = field;

        /// <summary>A served JSON value (null or absent: a null).</summary>
        public abstract void Add(JsonElement? value);

        public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);
    }

    private sealed class ValueColumn<T>(string name, Func<JsonElement, T> read) : LogColumn(new DataField<T?>(name, true)) where T : struct
    {
        private readonly List<T?> _values = [];

        public override void Add(JsonElement? value) =>
            _values.Add(value is { ValueKind: not JsonValueKind.Null } json ? read(json) : null);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync<T>(Field, _values.ToArray().AsMemory(), null, null, cancellationToken);
    }

    /// <summary>UTC instants to the microsecond (read as TIMESTAMP). Not the Timestamp logical type with micros: Parquet.Net 6.1
    /// writes its min/max statistics wrong, and readers that prune by them (DuckDB) skip rows a filter should find.</summary>
    private sealed class TimeColumn(string name)
        : LogColumn(new DateTimeDataField(name, DateTimeFormat.DateAndTimeMicros, isAdjustedToUTC: true, isNullable: true))
    {
        private readonly List<DateTime?> _values = [];

        public void Add(DateTimeOffset? time) => _values.Add(time?.UtcDateTime);

        public override void Add(JsonElement? value) =>
            Add(value is { ValueKind: JsonValueKind.String } json && json.TryGetDateTimeOffset(out var time) ? time : null);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync<DateTime>(Field, _values.ToArray().AsMemory(), null, null, cancellationToken);
    }

    /// <summary>Text; for array features, the value's JSON.</summary>
    private sealed class TextColumn(string name, FeatureValueType type) : LogColumn(new DataField<string>(name, true))
    {
        private readonly List<string?> _values = [];

        public void Add(string text) => _values.Add(text);

        public override void Add(JsonElement? value) => _values.Add(value switch
        {
            null or { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } json when type == FeatureValueType.String => json.GetString(),
            { } json => json.GetRawText(),
        });

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, _values!, null);
    }

    private sealed class BytesColumn(string name) : LogColumn(new DataField<byte[]>(name, true))
    {
        private readonly List<byte[]?> _values = [];

        public override void Add(JsonElement? value) =>
            _values.Add(value is { ValueKind: JsonValueKind.String } json && json.TryGetBytesFromBase64(out var bytes) ? bytes : null);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) =>
            group.WriteAsync(Field, _values!, null);
    }
}
