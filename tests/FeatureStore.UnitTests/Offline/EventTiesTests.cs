using FeatureStore.Domain;

namespace FeatureStore.UnitTests.Offline;

/// <summary><see cref="OfflineVisibility.EventTiesPossible"/>: when a snapshot's rows may share keys and event time.</summary>
public sealed class EventTiesTests
{
    private static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OfflineCommit Commit(long sequence, OfflineCommitKind kind) =>
        new(sequence, kind, Guid.NewGuid(), new TimeWindow(Jan1, Jan1.AddDays(365)), Jan1, 1);

    private static (OfflineCommit, CataloguedFile) File(OfflineCommit owner, int fromDay, int toDay, bool? ties = false) =>
        (owner, new CataloguedFile($"f-{owner.Sequence}-{fromDay}", "2024-01-01", 1, Jan1.AddDays(fromDay), Jan1.AddDays(toDay), "h", 1,
            EventTies: ties));

    private static readonly OfflineCommit Run1 = Commit(1, OfflineCommitKind.Materialization);
    private static readonly OfflineCommit Run2 = Commit(2, OfflineCommitKind.Materialization);
    private static readonly OfflineCommit Compacted = Commit(3, OfflineCommitKind.Compaction);
    private static readonly OfflineCommit Push4 = Commit(4, OfflineCommitKind.Push);
    private static readonly OfflineCommit Push5 = Commit(5, OfflineCommitKind.Push);

    [Fact]
    public void Checked_writes_of_materializations_and_compactions_never_tie_even_where_their_times_overlap()
    {
        // Two runs' files overlap in time: their visible rows cannot (the later replaced the earlier's window).
        Assert.False(OfflineVisibility.EventTiesPossible([File(Run1, 0, 40), File(Run1, 41, 90), File(Run2, 30, 60),
            File(Compacted, 10, 50)]));
        Assert.False(OfflineVisibility.EventTiesPossible([]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(null)]
    public void A_file_whose_write_holds_ties_or_was_not_checked_makes_them_possible(bool? ties) =>
        Assert.True(OfflineVisibility.EventTiesPossible([File(Run1, 0, 40), File(Run2, 50, 60, ties)]));

    [Fact]
    public void A_push_may_tie_with_any_other_commit_whose_times_overlap_its_own_but_not_with_itself()
    {
        // A push's own files, checked together, overlap only each other.
        Assert.False(OfflineVisibility.EventTiesPossible([File(Run1, 0, 40), File(Push4, 41, 50), File(Push4, 45, 60)]));
        Assert.False(OfflineVisibility.EventTiesPossible([File(Push4, 0, 10), File(Push5, 11, 20), File(Run1, 21, 30)]));
        // Sharing an instant is enough (both ends are inclusive), whichever starts first.
        Assert.True(OfflineVisibility.EventTiesPossible([File(Run1, 0, 40), File(Push4, 40, 50)]));
        Assert.True(OfflineVisibility.EventTiesPossible([File(Push4, 0, 40), File(Run1, 40, 50)]));
        Assert.True(OfflineVisibility.EventTiesPossible([File(Push4, 10, 20), File(Run1, 0, 100)]));
        Assert.True(OfflineVisibility.EventTiesPossible([File(Push4, 0, 10), File(Push5, 5, 7)]));
        // A push spans all its files: another commit inside its span may meet it even between its files.
        Assert.True(OfflineVisibility.EventTiesPossible([File(Push4, 0, 10), File(Push4, 30, 40), File(Compacted, 15, 20)]));
    }
}
