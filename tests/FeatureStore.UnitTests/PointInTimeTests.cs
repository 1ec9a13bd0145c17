using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class PointInTimeTests
{
    private static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TenDays = TimeSpan.FromDays(10);

    // Feast's own case: entity rows (1, 01-01), (1, 01-02), (2, 01-01), (3, 01-03) with a 10-day TTL give [11, 22, null, 10].
    private static readonly Dictionary<int, (RowTime Time, int Value)[]> FeatureRows = new()
    {
        [1] = [(new RowTime(Jan1.AddDays(-1)), 11), (new RowTime(Jan1.AddDays(1)), 22)],
        [2] = [(new RowTime(Jan1.AddDays(-17)), 99)],
        [3] = [(new RowTime(Jan1.AddDays(1), Jan1.AddDays(2)), 10), (new RowTime(Jan1.AddDays(1), Jan1.AddDays(1)), 5)],
    };

    [Fact]
    public void Feasts_table_comes_out_as_feast_says()
    {
        var entityRows = new[] { (1, Jan1), (1, Jan1.AddDays(1)), (2, Jan1), (3, Jan1.AddDays(2)) };
        var values = entityRows.Select(e => PointInTime.Match(FeatureRows[e.Item1], e.Item2, TenDays))
            .Select(m => m.Found ? m.Row : (int?)null).ToList();
        Assert.Equal([11, 22, null, 10], values);
    }

    [Theory]
    [InlineData(0, true)]           // event time equal to ts: included
    [InlineData(1, false)]          // one tick after ts: the future is never used
    [InlineData(-1, true)]
    [InlineData(-10 * TimeSpan.TicksPerDay, true)]       // exactly ts − TTL: included
    [InlineData(-10 * TimeSpan.TicksPerDay - 1, false)]  // one tick older: outside the TTL
    public void Both_ttl_bounds_are_inclusive(long offsetTicks, bool candidate) =>
        Assert.Equal(candidate, PointInTime.IsCandidate(Jan1.AddTicks(offsetTicks), Jan1, TenDays));

    [Fact]
    public void A_zero_ttl_looks_back_without_limit()
    {
        Assert.True(PointInTime.IsCandidate(Jan1.AddYears(-30), Jan1, TimeSpan.Zero));
        Assert.False(PointInTime.IsCandidate(Jan1.AddTicks(1), Jan1, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(10 * TimeSpan.TicksPerDay)]
    [InlineData(1L)]
    public void Every_candidate_of_every_entity_row_lies_in_their_reach_and_the_reach_is_no_wider(long ttlTicks)
    {
        var ttl = TimeSpan.FromTicks(ttlTicks);
        var random = new Random(7);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var first = Jan1.AddTicks(random.NextInt64(-TimeSpan.TicksPerDay * 40, TimeSpan.TicksPerDay * 40));
            var last = first.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 40));
            var reach = PointInTime.Reach(first, last, ttl);
            var ts = first.AddTicks(random.NextInt64(0, (last - first).Ticks + 1));
            var eventTime = ts.AddTicks(-random.NextInt64(-10, TimeSpan.TicksPerDay * 30));
            if (PointInTime.IsCandidate(eventTime, ts, ttl)) Assert.True(reach.Contains(eventTime), $"{eventTime:O} for {ts:O}");
            // Its ends are themselves candidates: of the last entity row, and (with a TTL) of the first.
            Assert.True(PointInTime.IsCandidate(reach.End, last, ttl));
            if (ttl > TimeSpan.Zero) Assert.True(PointInTime.IsCandidate(reach.Start, first, ttl));
        }
        Assert.Equal(DateTimeOffset.MinValue, PointInTime.Reach(DateTimeOffset.MinValue.AddDays(1), Jan1, TenDays).Start);
    }

    [Fact]
    public void A_full_tie_yields_one_row_the_later_one()
    {
        var rows = new[] { (new RowTime(Jan1), "first"), (new RowTime(Jan1), "second") };
        Assert.Equal((true, "second"), PointInTime.Match(rows, Jan1, TenDays));
    }

    [Fact]
    public void No_candidate_is_not_found()
    {
        var rows = new[] { (new RowTime(Jan1.AddDays(1)), "tomorrow") };
        Assert.False(PointInTime.Match(rows, Jan1, TenDays).Found);
        Assert.False(PointInTime.Match(Array.Empty<(RowTime, string)>(), Jan1, TenDays).Found);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void The_sql_condition_agrees_with_the_rule(int ttlDays)
    {
        var ttl = TimeSpan.FromDays(ttlDays);
        // Offsets around every edge, down to the microsecond DuckDB keeps.
        long[] micros = [0, 1, -1, -10L * 86_400_000_000, -10L * 86_400_000_000 + 1, -10L * 86_400_000_000 - 1,
            -30L * 86_400_000_000, 86_400_000_000];
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var offset in micros)
        {
            var eventTime = Jan1.AddTicks(offset * 10);
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {PointInTime.SqlCandidate("e", "ts", ttl)} FROM (SELECT $e::TIMESTAMPTZ AS e, $ts::TIMESTAMPTZ AS ts)";
            command.Parameters.Add(new DuckDBParameter("e", eventTime.UtcDateTime));
            command.Parameters.Add(new DuckDBParameter("ts", Jan1.UtcDateTime));
            Assert.Equal(PointInTime.IsCandidate(eventTime, Jan1, ttl), (bool)command.ExecuteScalar()!);
        }
    }
}
