using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.UnitTests;

public sealed class WireTimeTests
{
    private static readonly DateTimeOffset T = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<DateTimeOffset, string> Instants => new()
    {
        { T, "2024-05-01T12:00:00Z" },
        { T.AddMilliseconds(250), "2024-05-01T12:00:00.25Z" },
        { T.AddTicks(10), "2024-05-01T12:00:00.000001Z" },
        { T.AddTicks(9), "2024-05-01T12:00:00Z" }, // below the microsecond the stores keep
        { T.AddTicks(1_234_567), "2024-05-01T12:00:00.123456Z" },
        { T.ToOffset(TimeSpan.FromHours(-7)).AddSeconds(10), "2024-05-01T12:00:10Z" },
        { new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(5_000_000), "1969-12-31T23:59:59.5Z" },
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void Text_json_and_sql_write_one_form(DateTimeOffset at, string expected)
    {
        Assert.Equal(expected, WireTime.Text(at));

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) WireTime.Write(writer, at);
        Assert.Equal($"\"{expected}\"", Encoding.UTF8.GetString(buffer.ToArray()));

        using var connection = DuckDbSandbox.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {WireTime.SqlText("t")} FROM (SELECT $t::TIMESTAMPTZ AS t)";
        command.Parameters.Add(new DuckDBParameter("t", at.UtcDateTime));
        Assert.Equal(expected, command.ExecuteScalar());
    }

    /// <summary>The form is written by digit arithmetic; .NET's custom format says what it must equal, over the whole calendar
    /// (leap days, years 1 and 9999) and every precision (whole seconds, milli- and microseconds, ticks finer than kept).</summary>
    [Fact]
    public void Digits_agree_with_the_format_string_across_the_calendar()
    {
        var random = new Random(19);
        long[] units = [TimeSpan.TicksPerSecond, TimeSpan.TicksPerMillisecond, 10, 1];
        var instants = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero),
            new DateTimeOffset(2000, 2, 29, 0, 0, 0, TimeSpan.FromHours(14)).AddTicks(1_000_010),
        };
        for (var i = 0; i < 50_000; i++)
        {
            var ticks = random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks);
            var unit = units[i % units.Length];
            instants.Add(new DateTimeOffset(ticks - ticks % unit, TimeSpan.Zero));
        }
        var buffer = new MemoryStream();
        foreach (var at in instants)
        {
            var expected = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, WireTime.Text(at));
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer)) WireTime.Write(writer, at);
            Assert.Equal($"\"{expected}\"", Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    [Fact]
    public void Contracts_serialize_instants_in_the_wire_form_and_read_any_offset()
    {
        var options = new JsonSerializerOptions { Converters = { new WireTimeJsonConverter() } };
        Assert.Equal("\"2024-05-01T12:00:00.25Z\"", JsonSerializer.Serialize(T.AddMilliseconds(250), options));
        Assert.Equal(T, JsonSerializer.Deserialize<DateTimeOffset>("\"2024-05-01T14:00:00+02:00\"", options));
    }
}
