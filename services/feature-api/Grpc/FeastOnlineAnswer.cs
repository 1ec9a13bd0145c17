using System.Buffers;
using Feast.Serving;
using Feast.Types;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>
/// The answer to Feast's <c>GetOnlineFeatures</c>, written from the read's result straight into the bytes of
/// <see cref="GetOnlineFeaturesResponse"/> (field numbers of Feast's ServingService.proto, through protobuf's own
/// <see cref="CodedOutputStream"/>): as Feast answers, the entity columns first (their values as sent, PRESENT, at the epoch),
/// then each feature. Building the message objects cost a vector, three lists and their arrays per feature, twice the
/// allocations of the JSON answer; here each value is still the <see cref="Value"/> <see cref="FeastValues.ToValue"/> makes
/// and each distinct event time one <see cref="Timestamp"/>, the rest is written as it is measured. Clients parse it as the
/// generated message (the test project's client does).
/// </summary>
public sealed class FeastOnlineAnswer
{
    private const int MetadataField = 1, FeatureNamesField = 1, NameField = 1, ResultsField = 2;
    private const int ValuesField = 1, StatusesField = 2, EventTimestampsField = 3;

    /// <summary>Feast's time for a missing value and for entity columns: the epoch.</summary>
    private static readonly Timestamp NoTime = new();

    /// <summary>The method's response marshaller: only ever written (a server does not read its own answers).</summary>
    public static readonly Marshaller<FeastOnlineAnswer> Marshaller = Marshallers.Create<FeastOnlineAnswer>(
        (answer, context) =>
        {
            context.SetPayloadLength(answer.Size);
            answer.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        _ => throw new NotSupportedException("feature-api writes this answer, it never reads one"));

    private readonly IReadOnlyList<string> _names;
    private readonly RepeatedField<Value>[] _entityValues;
    private readonly Value[][] _featureValues;
    // One Timestamp per distinct event time (a view's features of one row share theirs), not one per value, nor an array of them.
    private readonly Dictionary<DateTimeOffset, Timestamp> _times = [];
    private readonly OnlineReadResult _read;
    private readonly int _namesSize, _metadataSize;
    private readonly int[] _entitySizes, _featureSizes;

    /// <summary>The answer's length in bytes.</summary>
    public int Size { get; }

    public FeastOnlineAnswer(GetOnlineFeaturesRequest request, OnlineReadResult read)
    {
        _read = read;
        _names = [.. read.Entities.Keys, .. read.FeatureNames];
        _entityValues = read.Entities.Keys
            .Select(name => (request.Entities.TryGetValue(name, out var values) ? values : request.RequestContext[name]).Val).ToArray();
        _featureValues = new Value[read.FeatureNames.Count][];
        for (var f = 0; f < _featureValues.Length; f++)
        {
            var column = read.Readings.Column(f);
            var values = _featureValues[f] = new Value[column.Length];
            for (var row = 0; row < column.Length; row++) values[row] = FeastValues.ToValue(read.FeatureTypes[f], column[row].Value);
        }
        _namesSize = _names.Sum(name => Tag(NameField) + CodedOutputStream.ComputeStringSize(name));
        _metadataSize = Tag(FeatureNamesField) + CodedOutputStream.ComputeLengthSize(_namesSize) + _namesSize;
        _entitySizes = _entityValues.Select(values => VectorSize(values, null)).ToArray();
        _featureSizes = Enumerable.Range(0, _featureValues.Length).Select(f => VectorSize(_featureValues[f], f)).ToArray();
        Size = Tag(MetadataField) + CodedOutputStream.ComputeLengthSize(_metadataSize) + _metadataSize
               + _entitySizes.Concat(_featureSizes).Sum(s => Tag(ResultsField) + CodedOutputStream.ComputeLengthSize(s) + s);
    }

    /// <summary>Writes the answer through a buffer from the shared pool (protobuf's writer takes an array; the answer of a
    /// hundred entities would otherwise be a large array of its own each time).</summary>
    public void WriteTo(IBufferWriter<byte> destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Size);
        try
        {
            var output = new CodedOutputStream(buffer);
            Nested(output, MetadataField, _metadataSize);
            Nested(output, FeatureNamesField, _namesSize);
            foreach (var name in _names)
            {
                output.WriteTag(NameField, WireFormat.WireType.LengthDelimited);
                output.WriteString(name);
            }
            for (var c = 0; c < _entityValues.Length; c++) WriteVector(output, _entitySizes[c], _entityValues[c], null);
            for (var f = 0; f < _featureValues.Length; f++) WriteVector(output, _featureSizes[f], _featureValues[f], f);
            output.Flush();
            if (output.Position != Size) throw new InvalidOperationException($"measured {Size} bytes, wrote {output.Position}");
            destination.Write(buffer.AsSpan(0, Size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public byte[] ToByteArray()
    {
        var bytes = new ArrayBufferWriter<byte>(Size);
        WriteTo(bytes);
        return bytes.WrittenSpan.ToArray();
    }

    /// <summary>A FeatureVector's size: its values, its statuses (packed), its times. <paramref name="feature"/> null: an entity
    /// column (PRESENT, the epoch, in every row).</summary>
    private int VectorSize(IReadOnlyList<Value> values, int? feature)
    {
        var size = 0;
        foreach (var value in values) size += Tag(ValuesField) + CodedOutputStream.ComputeMessageSize(value);
        if (StatusesSize(feature) is var statuses and > 0)
            size += Tag(StatusesField) + CodedOutputStream.ComputeLengthSize(statuses) + statuses;
        for (var row = 0; row < _read.RowCount; row++)
            size += Tag(EventTimestampsField) + CodedOutputStream.ComputeMessageSize(Time(feature, row));
        return size;
    }

    private void WriteVector(CodedOutputStream output, int size, IReadOnlyList<Value> values, int? feature)
    {
        Nested(output, ResultsField, size);
        foreach (var value in values)
        {
            output.WriteTag(ValuesField, WireFormat.WireType.LengthDelimited);
            output.WriteMessage(value);
        }
        if (StatusesSize(feature) is var statuses and > 0)
        {
            Nested(output, StatusesField, statuses);
            for (var row = 0; row < _read.RowCount; row++) output.WriteEnum((int)Status(feature, row));
        }
        for (var row = 0; row < _read.RowCount; row++)
        {
            output.WriteTag(EventTimestampsField, WireFormat.WireType.LengthDelimited);
            output.WriteMessage(Time(feature, row));
        }
    }

    /// <summary>The packed statuses' length.</summary>
    private int StatusesSize(int? feature)
    {
        var size = 0;
        for (var row = 0; row < _read.RowCount; row++) size += CodedOutputStream.ComputeEnumSize((int)Status(feature, row));
        return size;
    }

    private FieldStatus Status(int? feature, int row) => feature is not { } f ? FieldStatus.Present
        : _read.Readings[f, row].Status switch
        {
            FeatureStatus.Present => FieldStatus.Present,
            FeatureStatus.NullValue => FieldStatus.NullValue,
            FeatureStatus.NotFound => FieldStatus.NotFound,
            FeatureStatus.OutsideMaxAge => FieldStatus.OutsideMaxAge,
            _ => FieldStatus.Invalid,
        };

    private Timestamp Time(int? feature, int row) =>
        feature is not { } f || _read.Readings[f, row].EventTime is not { } at ? NoTime
        : _times.TryGetValue(at, out var time) ? time : _times[at] = Timestamp.FromDateTimeOffset(at);

    private static int Tag(int field) => CodedOutputStream.ComputeTagSize(field);

    private static void Nested(CodedOutputStream output, int field, int length)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(length);
    }
}
