using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>What an online read found for one feature of one entity row.</summary>
public readonly struct FeatureReading
{
    // Stored without Nullable wrappers (32 bytes a reading instead of 56; a read holds entities × features of them): no value is
    // the undefined JsonElement, no event time is 0 (a time is kept as its UTC ticks plus one).
    private readonly JsonElement _value;
    private readonly long _eventTicks;

    public FeatureReading(JsonElement? value, FeatureStatus status, DateTimeOffset? eventTime)
    {
        _value = value ?? default;
        Status = status;
        _eventTicks = eventTime is { } time ? time.UtcTicks + 1 : 0;
    }

    public JsonElement? Value => _value.ValueKind == JsonValueKind.Undefined ? null : _value;

    public FeatureStatus Status { get; }

    /// <summary>When the value happened, in UTC.</summary>
    public DateTimeOffset? EventTime => _eventTicks == 0 ? null : new DateTimeOffset(_eventTicks - 1, TimeSpan.Zero);
}

/// <summary>
/// Every reading of an online read, output column by output column (one reading per entity row), in one array: a read of one
/// entity and fifty features is one allocation, not fifty.
/// </summary>
public sealed class FeatureReadings(int outputs, int rows)
{
    private readonly FeatureReading[] _all = new FeatureReading[outputs * rows];

    public int Outputs => outputs;

    public int Rows => rows;

    public ref FeatureReading this[int output, int row] => ref _all[output * rows + row];

    /// <summary>One output's readings, row by row.</summary>
    public Span<FeatureReading> Column(int output) => _all.AsSpan(output * rows, rows);

    public ReadOnlySpan<FeatureReading> All => _all;
}
