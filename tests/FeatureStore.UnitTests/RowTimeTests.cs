using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class RowTimeTests
{
    private static readonly DateTimeOffset T = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Event_time_decides_first()
    {
        Assert.True(new RowTime(T.AddTicks(1), T) > new RowTime(T, T.AddDays(1)));
    }

    [Fact]
    public void Created_time_breaks_ties_and_missing_created_is_oldest()
    {
        Assert.True(new RowTime(T, T.AddSeconds(1)) > new RowTime(T, T));
        Assert.True(new RowTime(T, T) > new RowTime(T, null));
        Assert.Equal(0, new RowTime(T, null).CompareTo(new RowTime(T, null)));
    }

    [Fact]
    public void Offsets_do_not_matter_only_instants()
    {
        var sameInstant = T.ToOffset(TimeSpan.FromHours(5));
        Assert.Equal(0, new RowTime(T).CompareTo(new RowTime(sameInstant)));
        Assert.Equal(new RowTime(T).ToSortableText(), new RowTime(sameInstant).ToSortableText());
    }

    public static TheoryData<DateTimeOffset, DateTimeOffset?, DateTimeOffset, DateTimeOffset?> Pairs => new()
    {
        { T, null, T, T },
        { T, T, T.AddTicks(1), null },
        { DateTimeOffset.MinValue, null, T, null },
        { T, T.AddDays(-1), T, T },
        { T, DateTimeOffset.MinValue, T, null },
        { T, T, T, T },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Sortable_text_orders_exactly_like_the_rule(DateTimeOffset e1, DateTimeOffset? c1, DateTimeOffset e2, DateTimeOffset? c2)
    {
        var a = new RowTime(e1, c1);
        var b = new RowTime(e2, c2);
        Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(string.CompareOrdinal(a.ToSortableText(), b.ToSortableText())));
        Assert.Equal(RowTime.SortableTextLength, a.ToSortableText().Length);
    }

    [Fact]
    public void Sortable_text_round_trips()
    {
        var time = new RowTime(T, T.AddMinutes(3));
        Assert.Equal(time, RowTime.FromSortableText(time.ToSortableText()));
        var noCreated = new RowTime(T);
        Assert.Equal(noCreated, RowTime.FromSortableText(noCreated.ToSortableText()));
    }

    // The same kinds of pairs at the microsecond the offline store keeps.
    public static TheoryData<DateTimeOffset, DateTimeOffset?, DateTimeOffset, DateTimeOffset?> MicrosecondPairs => new()
    {
        { T, null, T, T },
        { T, T, T.AddTicks(10), null },
        { T.AddTicks(10), null, T, T.AddDays(1) },
        { T, T.AddDays(-1), T, T },
        { T, T, T, null },
        { T, T, T, T },
        { T, null, T, null },
    };

    [Theory]
    [MemberData(nameof(MicrosecondPairs))]
    public void The_sql_condition_orders_exactly_like_the_rule(DateTimeOffset e1, DateTimeOffset? c1, DateTimeOffset e2, DateTimeOffset? c2)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RowTime.SqlOlder("e1", "c1", "e2", "c2")} FROM (SELECT $e1::TIMESTAMPTZ AS e1, " +
            $"$c1::TIMESTAMPTZ AS c1, $e2::TIMESTAMPTZ AS e2, $c2::TIMESTAMPTZ AS c2)";
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("e1", e1.UtcDateTime));
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("c1", c1?.UtcDateTime));
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("e2", e2.UtcDateTime));
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("c2", c2?.UtcDateTime));
        Assert.Equal(new RowTime(e1, c1) < new RowTime(e2, c2), (bool)command.ExecuteScalar()!);
    }

    // Created times of rows sharing one event time (null: none); each row's id is its place in the set.
    public static TheoryData<DateTimeOffset?[]> EventTies => new()
    {
        new DateTimeOffset?[] { T, null },
        new DateTimeOffset?[] { null, T },
        new DateTimeOffset?[] { null },
        new DateTimeOffset?[] { T.AddTicks(10), T, null, T.AddDays(-1) },
        new DateTimeOffset?[] { DateTimeOffset.MinValue.AddYears(1), null },
    };

    [Theory]
    [MemberData(nameof(EventTies))]
    public void The_sql_aggregate_takes_the_newest_of_rows_sharing_an_event_time(DateTimeOffset?[] created)
    {
        var newest = Enumerable.Range(0, created.Length).MaxBy(i => new RowTime(T, created[i]));
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var rows = string.Join(", ", created.Select((_, i) => $"({i}, ${i + 1}::TIMESTAMPTZ)"));
        command.CommandText = $"SELECT {RowTime.SqlNewestAmongEventTies("id", "c")} FROM (VALUES {rows}) AS t(id, c)";
        foreach (var c in created)
            command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter { Value = (object?)c?.UtcDateTime ?? DBNull.Value });
        Assert.Equal(newest, Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
