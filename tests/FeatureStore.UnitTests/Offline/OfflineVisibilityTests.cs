using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests.Offline;

public sealed class OfflineVisibilityTests
{
    private static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TimeWindow Days(int from, int to) => new(Jan1.AddDays(from), Jan1.AddDays(to));

    private static OfflineCommit Run(long sequence, TimeWindow window, long? cut = null) =>
        new(sequence, OfflineCommitKind.Materialization, Guid.NewGuid(), window, Jan1, 1, PushCut: cut);

    private static OfflineCommit Push(long sequence, TimeWindow span, long pushSequence) =>
        new(sequence, OfflineCommitKind.Push, Guid.NewGuid(), span, Jan1, 1, PushSequence: pushSequence);

    [Fact]
    public void A_later_run_replaces_its_window_of_earlier_runs_and_nothing_replaces_a_later_one()
    {
        var (first, second) = (Run(1, Days(0, 10)), Run(2, Days(5, 20)));
        Assert.True(OfflineVisibility.Replaces(second, first));
        Assert.False(OfflineVisibility.Replaces(first, second));
        Assert.False(OfflineVisibility.Replaces(second, second));
        Assert.Equal([Days(5, 20)], OfflineVisibility.Masks(first, Jan1, Jan1.AddDays(10), [first, second]));
        Assert.Empty(OfflineVisibility.Masks(second, Jan1.AddDays(5), Jan1.AddDays(20), [first, second]));
    }

    [Fact]
    public void A_run_replaces_only_the_pushes_it_read_again()
    {
        var (read, unread) = (Push(1, Days(2, 3), pushSequence: 4), Push(2, Days(2, 3), pushSequence: 5));
        var run = Run(3, Days(0, 10), cut: 4);
        Assert.True(OfflineVisibility.Replaces(run, read));
        Assert.False(OfflineVisibility.Replaces(run, unread));
        // A push replaces nothing: it adds rows.
        Assert.False(OfflineVisibility.Replaces(unread, Run(0, Days(0, 10))));
        // Pushes recorded before push logs existed were never read again by any run.
        Assert.False(OfflineVisibility.Replaces(run, Push(1, Days(2, 3), pushSequence: 0) with { PushSequence = null }));
    }

    [Fact]
    public void Masks_are_only_the_windows_that_touch_the_file_and_a_file_inside_one_is_hidden()
    {
        var file = Run(1, Days(0, 30));
        OfflineCommit[] commits = [file, Run(2, Days(40, 50)), Run(3, Days(9, 12)), Run(4, Days(11, 15))];
        var masks = OfflineVisibility.Masks(file, Jan1.AddDays(10), Jan1.AddDays(20), commits);
        Assert.Equal([Days(9, 15)], masks);
        Assert.False(OfflineVisibility.HidesAll(masks, Jan1.AddDays(10), Jan1.AddDays(20)));
        Assert.True(OfflineVisibility.HidesAll(masks, Jan1.AddDays(10), Jan1.AddDays(14)));
        Assert.True(OfflineVisibility.Kept(Jan1.AddDays(16), masks));
        Assert.False(OfflineVisibility.Kept(Jan1.AddDays(15), masks));
    }

    [Fact]
    public void The_sql_form_keeps_the_same_rows()
    {
        TimeWindow[] masks = [Days(2, 4), new TimeWindow(Jan1.AddDays(6), Jan1.AddDays(6))];
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        long[] micros = [0, 1, -1];
        foreach (var time in Enumerable.Range(0, 8).SelectMany(d => micros.Select(m => Jan1.AddDays(d).AddTicks(m * 10))))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {OfflineVisibility.SqlKept("t", masks)} FROM (SELECT $t::TIMESTAMPTZ AS t)";
            command.Parameters.Add(new DuckDBParameter("t", time.UtcDateTime));
            Assert.Equal(OfflineVisibility.Kept(time, masks), (bool)command.ExecuteScalar()!);
        }
    }

    [Fact]
    public void Coverage_is_the_runs_windows_and_the_span_of_the_pushes_merged()
    {
        Assert.Equal([Days(0, 12), Days(20, 21)],
            OfflineVisibility.Covered([Run(1, Days(0, 10)), Push(2, Days(9, 12), 1), Run(3, Days(20, 21))]));
        // Two pushes a while apart: a stream, nothing between them was left out.
        Assert.Equal([Days(30, 40)], OfflineVisibility.Covered([Push(1, Days(30, 30), 1), Push(2, Days(40, 40), 2)]));
    }
}
