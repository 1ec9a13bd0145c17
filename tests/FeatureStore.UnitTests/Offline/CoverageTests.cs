using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests.Offline;

public sealed class CoverageTests
{
    private static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Micro = TimeSpan.FromTicks(10);

    private static TimeWindow Days(int from, int to) => new(Jan1.AddDays(from), Jan1.AddDays(to));

    [Fact]
    public void Overlapping_and_adjacent_windows_merge_and_a_microsecond_apart_do_not()
    {
        var merged = Coverage.Merge([Days(10, 12), Days(0, 5), Days(5, 7), new TimeWindow(Jan1.AddDays(7) + Micro, Jan1.AddDays(8)),
            new TimeWindow(Jan1.AddDays(8) + 2 * Micro, Jan1.AddDays(9))]);
        Assert.Equal([Days(0, 8), new TimeWindow(Jan1.AddDays(8) + 2 * Micro, Jan1.AddDays(9)), Days(10, 12)], merged);
    }

    [Fact]
    public void Holes_are_everything_else_inclusive()
    {
        var holes = Coverage.Holes([Days(0, 5), Days(10, 12)]);
        Assert.Equal([new TimeWindow(DateTimeOffset.MinValue, Jan1 - Micro),
            new TimeWindow(Jan1.AddDays(5) + Micro, Jan1.AddDays(10) - Micro),
            new TimeWindow(Jan1.AddDays(12) + Micro, DateTimeOffset.MaxValue)], holes);
        Assert.Equal([new TimeWindow(DateTimeOffset.MinValue, DateTimeOffset.MaxValue)], Coverage.Holes([]));
    }

    [Fact]
    public void Rows_inside_the_coverage_need_nothing_more()
    {
        Assert.Empty(Coverage.Gaps([Days(0, 30)], [Jan1.AddDays(10), Jan1.AddDays(30)], TimeSpan.FromDays(10)));
        // Exactly at the edge: ts − TTL is the first covered instant.
        Assert.Empty(Coverage.Gaps([Days(0, 30)], [Jan1.AddDays(10)], TimeSpan.FromDays(10)));
        Assert.Equal([new TimeWindow(Jan1 - Micro, Jan1 - Micro)],
            Coverage.Gaps([Days(0, 30)], [Jan1.AddDays(10) - Micro], TimeSpan.FromDays(10)));
    }

    [Fact]
    public void A_row_after_the_last_run_needs_the_time_since()
    {
        var gaps = Coverage.Gaps([Days(0, 30)], [Jan1.AddDays(35)], TimeSpan.FromDays(10));
        Assert.Equal([new TimeWindow(Jan1.AddDays(30) + Micro, Jan1.AddDays(35))], gaps);
    }

    [Fact]
    public void A_hole_between_runs_counts_only_where_rows_need_it()
    {
        TimeWindow[] covered = [Days(0, 10), Days(20, 30)];
        // TTL 2 days: a row on day 25 needs [23, 25], covered; a row on day 21 needs [19, 21]: the hole's end.
        Assert.Empty(Coverage.Gaps(covered, [Jan1.AddDays(25), Jan1.AddDays(5)], TimeSpan.FromDays(2)));
        Assert.Equal([new TimeWindow(Jan1.AddDays(19), Jan1.AddDays(20) - Micro)],
            Coverage.Gaps(covered, [Jan1.AddDays(21)], TimeSpan.FromDays(2)));
        // A TTL of zero needs everything from the history's start: any row after the hole needs all of it.
        Assert.Equal([new TimeWindow(Jan1.AddDays(10) + Micro, Jan1.AddDays(20) - Micro)],
            Coverage.Gaps(covered, [Jan1.AddDays(25)], TimeSpan.Zero));
        // ... but a row before the history began needs only its own instant.
        Assert.Equal([new TimeWindow(Jan1.AddDays(-3), Jan1.AddDays(-2))],
            Coverage.Gaps(covered, [Jan1.AddDays(-3), Jan1.AddDays(-2)], TimeSpan.Zero));
    }

    [Fact]
    public void Nothing_covered_gaps_the_rows_own_span()
    {
        Assert.Equal([new TimeWindow(Jan1.AddDays(-1), Jan1.AddDays(4))], Coverage.Gaps([], [Jan1, Jan1.AddDays(4)], TimeSpan.FromDays(1)));
        Assert.Equal([new TimeWindow(Jan1, Jan1.AddDays(4))], Coverage.Gaps([], [Jan1, Jan1.AddDays(4)], TimeSpan.Zero));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void The_sql_form_finds_the_same_gaps(int ttlDays)
    {
        var random = new Random(ttlDays + 17);
        var ttl = TimeSpan.FromDays(ttlDays);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        for (var round = 0; round < 40; round++)
        {
            // Random windows and entity times on a coarse grid (so edges coincide often), microseconds added at random.
            TimeWindow Window() { var a = random.Next(0, 40); return new TimeWindow(At(a), At(a + random.Next(0, 6))); }
            DateTimeOffset At(int day) => Jan1.AddDays(day).AddTicks(random.Next(0, 3) * 10 * (random.Next(2) == 0 ? 1 : -1));
            var covered = Coverage.Merge(Enumerable.Range(0, random.Next(0, 5)).Select(_ => Window()));
            var times = Enumerable.Range(0, random.Next(1, 12)).Select(_ => At(random.Next(-5, 50))).ToList();

            using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE OR REPLACE TABLE e (ts TIMESTAMPTZ)";
                create.ExecuteNonQuery();
            }
            foreach (var ts in times)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO e VALUES ($ts::TIMESTAMPTZ)";
                insert.Parameters.Add(new DuckDBParameter("ts", ts.UtcDateTime));
                insert.ExecuteNonQuery();
            }
            var holes = Coverage.Holes(covered);
            using var query = connection.CreateCommand();
            query.CommandText = $"SELECT {string.Join(", ", Coverage.SqlGapBounds(holes, covered, "ts", ttl))} FROM e";
            using var reader = query.ExecuteReader();
            reader.Read();
            var bounds = holes.Select((_, i) => (Read(reader, 2 * i), Read(reader, 2 * i + 1))).ToList();
            Assert.Equal(Coverage.Gaps(covered, times, ttl), Coverage.GapsFrom(holes, covered, bounds, ttl));
        }
    }

    private static DateTimeOffset? Read(DuckDBDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : FeatureValues.ToTimestamp(reader.GetValue(i));
}
