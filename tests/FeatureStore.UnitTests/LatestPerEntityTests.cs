using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class LatestPerEntityTests
{
    private static readonly DateTimeOffset T = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Keeps_the_greatest_event_time_whatever_the_order()
    {
        var latest = new LatestPerEntity<string>();
        latest.Offer("c1", new RowTime(T.AddDays(2)), "newest");
        latest.Offer("c1", new RowTime(T), "oldest");
        latest.Offer("c1", new RowTime(T.AddDays(1)), "middle");
        Assert.Equal("newest", Assert.Single(latest.Rows).Row);
    }

    [Fact]
    public void Equal_event_times_go_to_the_later_created_time()
    {
        var latest = new LatestPerEntity<string>();
        latest.Offer("c1", new RowTime(T, T.AddMinutes(2)), "created later");
        latest.Offer("c1", new RowTime(T, T.AddMinutes(1)), "created earlier");
        latest.Offer("c1", new RowTime(T, null), "no created time");
        Assert.Equal("created later", Assert.Single(latest.Rows).Row);
    }

    [Fact]
    public void A_full_tie_yields_one_row_the_one_offered_last()
    {
        var latest = new LatestPerEntity<string>();
        latest.Offer("c1", new RowTime(T, T), "first");
        latest.Offer("c1", new RowTime(T, T), "second");
        Assert.Equal("second", Assert.Single(latest.Rows).Row);
    }

    [Fact]
    public void Entities_are_kept_apart()
    {
        var latest = new LatestPerEntity<int>();
        latest.Offer("c1", new RowTime(T), 1);
        latest.Offer("c2", new RowTime(T.AddDays(-1)), 2);
        Assert.Equal(2, latest.Count);
        Assert.Equal([("c1", 1), ("c2", 2)], latest.Rows.Select(r => (r.EntityKey, r.Row)).OrderBy(r => r.EntityKey));
    }
}
