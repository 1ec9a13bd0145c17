using System.Security.Cryptography;
using FeatureStore.Samples.Churn;

namespace FeatureStore.UnitTests.Samples;

public sealed class ChurnDataGeneratorTests
{
    private static readonly DateTime End = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ChurnData Generate(int customers, int seed) => ChurnDataGenerator.Generate(new ChurnDataOptions(customers, seed, End));

    [Fact]
    public async Task The_same_seed_writes_the_same_bytes_and_another_seed_does_not()
    {
        var hashes = new List<string>();
        foreach (var seed in new[] { 7, 7, 8 })
        {
            var directory = Path.Combine(Path.GetTempPath(), $"churn-{Guid.NewGuid():N}");
            try
            {
                var paths = await ChurnSampleFiles.WriteAsync(Generate(60, seed), seed, directory, TestContext.Current.CancellationToken);
                hashes.Add(string.Join(",",
                    ChurnSampleFiles.Names.Select(n => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(paths[n]))))));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        Assert.Equal(hashes[0], hashes[1]);
        Assert.NotEqual(hashes[0], hashes[2]);
    }

    [Fact]
    public void A_larger_size_keeps_the_smaller_ones_customers()
    {
        var small = Generate(20, 3);
        var large = Generate(40, 3);
        Assert.Equal(40, large.Customers.Count);
        Assert.Equal(small.Activity.Select(a => (a.customer_id, a.event_timestamp, a.event_type)),
            large.Activity.Where(a => a.customer_id <= 20).Select(a => (a.customer_id, a.event_timestamp, a.event_type)));
        Assert.Equal(small.Labels.Select(l => l.churned), large.Labels.Take(20).Select(l => l.churned));
    }

    [Fact]
    public void Rows_lie_in_the_history_and_churners_fade_before_their_label()
    {
        var data = Generate(400, 11);
        Assert.All(data.Activity,
            a => Assert.True(a.event_timestamp < End && a.event_timestamp >= End.AddDays(-121) && a.ingested_at > a.event_timestamp));
        Assert.All(data.Labels, l => Assert.True(l.label_timestamp <= End && l.label_timestamp > End.AddDays(-40)));
        var churnRate = data.Labels.Count(l => l.churned) / (double)data.Labels.Count;
        Assert.InRange(churnRate, 0.15, 0.6);

        // Activity in the 30 days before the label: churners do clearly less than those who stay.
        double Recent(bool churned) => data.Labels.Where(l => l.churned == churned).Average(l =>
            data.Activity.Count(a => a.customer_id == l.customer_id && a.event_timestamp <= l.label_timestamp
                && a.event_timestamp > l.label_timestamp.AddDays(-30)));
        Assert.True(Recent(true) < 0.7 * Recent(false), $"churners {Recent(true):F1} vs stayers {Recent(false):F1}");
        Assert.All(data.Reviews, r => Assert.InRange(r.rating, 1, 5));
    }

    [Fact]
    public void A_behaviour_shift_lowers_activity_and_raises_complaints_from_its_day_and_leaves_the_days_before_alone()
    {
        var after = End.AddDays(-20);
        var plain = Generate(400, 5);
        var shifted = ChurnDataGenerator.Generate(new ChurnDataOptions(400, 5, End, Shift: new BehaviourShift(after)));
        double PerDay<T>(IEnumerable<T> rows, Func<T, DateTime> at, DateTime from, DateTime to) =>
            rows.Count(r => at(r) >= from && at(r) < to) / (to - from).TotalDays;

        // Before the shift each customer's stream is drawn exactly as without it.
        Assert.Equal(plain.Activity.Where(a => a.event_timestamp < after.Date).Select(a => (a.customer_id, a.event_timestamp)),
            shifted.Activity.Where(a => a.event_timestamp < after.Date).Select(a => (a.customer_id, a.event_timestamp)));
        var activity = PerDay(shifted.Activity, a => a.event_timestamp, after.Date, End) /
                       PerDay(plain.Activity, a => a.event_timestamp, after.Date, End);
        Assert.InRange(activity, 0.5, 0.7); // the pace at 0.6
        var tickets = PerDay(shifted.Tickets, t => t.event_timestamp, after.Date, End) /
                      PerDay(plain.Tickets, t => t.event_timestamp, after.Date, End);
        Assert.InRange(tickets, 1.6, 2.4); // complaints at twice the rate
    }
}
