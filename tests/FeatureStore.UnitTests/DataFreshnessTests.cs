using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;

namespace FeatureStore.UnitTests;

public sealed class DataFreshnessTests
{
    private static readonly DateTimeOffset Newest = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly FreshnessFacts Facts = new(Newest, Newest.AddMinutes(5));

    [Theory]
    [InlineData(0, "Ok")]
    [InlineData(119, "Ok")]
    [InlineData(121, "Late")]   // past the 2 h objective
    [InlineData(360, "Late")]   // exactly the TTL: still served
    [InlineData(361, "Stale")]  // past the 6 h TTL
    public void The_age_of_the_newest_value_is_judged_against_objective_then_ttl(int minutes, string status)
    {
        var verdict = DataFreshness.Judge(Facts, TimeSpan.FromHours(6), TimeSpan.FromHours(2), Newest.AddMinutes(minutes));
        Assert.Equal(Enum.Parse<FreshnessStatus>(status), verdict.Status);
        Assert.Equal(TimeSpan.FromMinutes(minutes), verdict.Age);
        Assert.Equal(minutes / 360.0, verdict.AgeOverTtl!.Value, 9);
    }

    [Fact]
    public void Without_a_ttl_or_objective_nothing_is_late_and_nothing_known_is_stale()
    {
        var verdict = DataFreshness.Judge(Facts, TimeSpan.Zero, null, Newest.AddDays(400));
        Assert.Equal(FreshnessStatus.Ok, verdict.Status);
        Assert.Null(verdict.AgeOverTtl);
        var never = DataFreshness.Judge(new FreshnessFacts(null, null), TimeSpan.Zero, null, Newest);
        Assert.Equal((FreshnessStatus.Stale, "never materialized"), (never.Status, never.Reason));
        var empty = DataFreshness.Judge(new FreshnessFacts(null, Newest), TimeSpan.Zero, null, Newest);
        Assert.Equal((FreshnessStatus.Stale, "no rows materialized yet"), (empty.Status, empty.Reason));
    }

    [Fact]
    public void Event_times_ahead_of_the_clock_are_new_not_negative()
    {
        var verdict = DataFreshness.Judge(Facts, TimeSpan.FromHours(1), null, Newest.AddMinutes(-3));
        Assert.Equal((FreshnessStatus.Ok, TimeSpan.Zero), (verdict.Status, verdict.Age!.Value));
    }

    [Fact]
    public void A_views_objective_survives_its_json_and_is_left_out_when_absent()
    {
        var view = new FeatureViewDefinition("p", "v", [], new ViewSource("s", SourceKind.Batch, "", "", null), [], TimeSpan.FromHours(1),
            ObjectMetadata.Empty, Freshness: TimeSpan.FromMinutes(90));
        var json = DefinitionJson.Serialize(view);
        Assert.Contains("\"freshness\":\"1h30m\"", json);
        Assert.Equal(TimeSpan.FromMinutes(90), ((FeatureViewDefinition)DefinitionJson.Deserialize(ObjectKind.FeatureView, json)).Freshness);
        Assert.DoesNotContain("freshness", DefinitionJson.Serialize(view with { Freshness = null }));
    }
}
