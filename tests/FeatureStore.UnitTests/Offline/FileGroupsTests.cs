using FeatureStore.Domain;

namespace FeatureStore.UnitTests.Offline;

public sealed class FileGroupsTests
{
    [Fact]
    public void A_file_closes_once_it_holds_the_target_and_a_piece_is_never_split()
    {
        var groups = FileGroups.Cut(new long[] { 3, 1, 4, 1, 1, 6, 1 }, n => n, target: 4);

        Assert.Equal([[3L, 1L], [4L], [1L, 1L, 6L], [1L]], groups);
    }

    [Fact]
    public void Every_file_but_the_last_holds_the_target_and_less_than_it_before_its_last_piece()
    {
        var random = new Random(19);
        for (var trial = 0; trial < 200; trial++)
        {
            var pieces = Enumerable.Range(0, random.Next(0, 300)).Select(_ => (long)random.Next(0, 40)).ToList();
            var target = random.Next(1, 200);

            var groups = FileGroups.Cut(pieces, n => n, target);

            Assert.Equal(pieces, groups.SelectMany(g => g));
            Assert.All(groups, g => Assert.NotEmpty(g));
            Assert.All(groups, g => Assert.True(g.Sum() - g[^1] < target));
            Assert.All(groups.SkipLast(1), g => Assert.True(g.Sum() >= target));
        }
    }

    [Fact]
    public void Nothing_makes_no_files() => Assert.Empty(FileGroups.Cut(Array.Empty<long>(), n => n, 10));
}
