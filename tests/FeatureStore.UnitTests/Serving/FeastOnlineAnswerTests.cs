using System.Text.Json;
using Feast.Serving;
using Feast.Types;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Grpc;
using FeatureStore.FeatureApi.Serving;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace FeatureStore.UnitTests.Serving;

/// <summary>
/// The bytes feature-api writes for Feast's GetOnlineFeatures against the generated message built from the same read: equal once
/// parsed, and equal byte for byte (fields in number order, statuses packed, as protobuf writes them), for every value type,
/// every status, no value, times before and after 1970 with fractions of a second, and several entity rows.
/// </summary>
public sealed class FeastOnlineAnswerTests
{
    private static readonly (string Name, FeatureValueType Type, string[] Json)[] Features =
    [
        ("v:i32", FeatureValueType.Int32, ["7", "-2147483648", "null"]),
        ("v:i64", FeatureValueType.Int64, ["9007199254740993", "-1", "0"]),
        ("v:f32", FeatureValueType.Float32, ["1.5", "\"NaN\"", "-0.0"]),
        ("v:f64", FeatureValueType.Float64, ["0.1", "\"-Infinity\"", "1e308"]),
        ("v:bool", FeatureValueType.Bool, ["true", "false", "null"]),
        ("v:text", FeatureValueType.String, ["\"héllo\"", "\"\"", "null"]),
        ("v:bytes", FeatureValueType.Bytes, ["\"AAEC/w==\"", "\"\"", "null"]),
        ("v:time", FeatureValueType.Timestamp, ["\"1969-12-31T23:59:59.25Z\"", "\"2026-12-05T08:00:00Z\"", "null"]),
        ("v:i64s", FeatureValueType.Int64Array, ["[1,2,3]", "[]", "null"]),
        ("v:f64s", FeatureValueType.Float64Array, ["[0.5,-1]", "[]", "null"]),
    ];

    private static readonly FeatureStatus[] Statuses =
        [FeatureStatus.Present, FeatureStatus.NullValue, FeatureStatus.NotFound, FeatureStatus.OutsideMaxAge];

    private static readonly DateTimeOffset?[] Times =
    [
        new DateTimeOffset(1969, 12, 31, 23, 59, 58, TimeSpan.Zero).AddTicks(1_234_567), null,
        new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero).AddTicks(1), DateTimeOffset.UnixEpoch,
    ];

    [Fact]
    public void The_written_answer_is_the_message_feasts_clients_parse_byte_for_byte()
    {
        const int rows = 3;
        var request = new GetOnlineFeaturesRequest();
        request.Entities["customer_id"] = new RepeatedValue
        { Val = { new Value { Int64Val = 1 }, new Value { Int64Val = 2 }, new Value() } };
        request.RequestContext["channel"] = new RepeatedValue
        { Val = { new Value { StringVal = "web" }, new Value { StringVal = "app" }, new Value { StringVal = "" } } };
        var readings = new FeatureReadings(Features.Length, rows);
        for (var f = 0; f < Features.Length; f++)
            for (var row = 0; row < rows; row++)
            {
                var json = JsonElement.Parse(Features[f].Json[row]);
                var status = Statuses[(f + row) % Statuses.Length];
                readings[f, row] = new FeatureReading(status.CarriesValue() ? json : null, status, Times[(f * rows + row) % Times.Length]);
            }
        var read = new OnlineReadResult(Features.Select(f => f.Name).ToList(), [], Features.Select(f => f.Type).ToList(),
            new Dictionary<string, List<JsonElement>> { ["customer_id"] = [], ["channel"] = [] }, rows, readings);

        var written = new FeastOnlineAnswer(request, read).ToByteArray();

        var expected = Expected(request, read);
        Assert.Equal(expected, GetOnlineFeaturesResponse.Parser.ParseFrom(written));
        Assert.Equal(expected.ToByteArray(), written);
        Assert.Contains(expected.Results.SelectMany(r => r.EventTimestamps), t => t.Seconds < 0 && t.Nanos > 0);
        Assert.Contains(expected.Results.SelectMany(r => r.Statuses), s => s == FieldStatus.OutsideMaxAge);
    }

    /// <summary>The answer built from the generated messages, as Feast lays it out.</summary>
    private static GetOnlineFeaturesResponse Expected(GetOnlineFeaturesRequest request, OnlineReadResult read)
    {
        var response = new GetOnlineFeaturesResponse
        { Metadata = new GetOnlineFeaturesResponseMetadata { FeatureNames = new FeatureList() } };
        foreach (var name in read.Entities.Keys)
        {
            response.Metadata.FeatureNames.Val.Add(name);
            var sent = (request.Entities.TryGetValue(name, out var values) ? values : request.RequestContext[name]).Val;
            var column = new GetOnlineFeaturesResponse.Types.FeatureVector { Values = { sent } };
            foreach (var _ in sent)
            {
                column.Statuses.Add(FieldStatus.Present);
                column.EventTimestamps.Add(new Timestamp());
            }
            response.Results.Add(column);
        }
        for (var f = 0; f < read.FeatureNames.Count; f++)
        {
            response.Metadata.FeatureNames.Val.Add(read.FeatureNames[f]);
            var column = new GetOnlineFeaturesResponse.Types.FeatureVector();
            foreach (var reading in read.Readings.Column(f))
            {
                column.Values.Add(FeastValues.ToValue(read.FeatureTypes[f], reading.Value));
                column.Statuses.Add(reading.Status switch
                {
                    FeatureStatus.Present => FieldStatus.Present,
                    FeatureStatus.NullValue => FieldStatus.NullValue,
                    FeatureStatus.NotFound => FieldStatus.NotFound,
                    _ => FieldStatus.OutsideMaxAge,
                });
                column.EventTimestamps.Add(reading.EventTime is { } at ? Timestamp.FromDateTimeOffset(at) : new Timestamp());
            }
            response.Results.Add(column);
        }
        return response;
    }
}
