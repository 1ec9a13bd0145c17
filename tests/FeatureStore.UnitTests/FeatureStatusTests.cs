using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class FeatureStatusTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    [Fact]
    public void Missing_is_not_found() =>
        Assert.Equal(FeatureStatus.NotFound, FeatureStatuses.Classify(found: false, isNull: false, default, Ttl, Now));

    [Fact]
    public void Exactly_ttl_old_is_still_present() =>
        Assert.Equal(FeatureStatus.Present, FeatureStatuses.Classify(true, false, Now - Ttl, Ttl, Now));

    [Fact]
    public void Older_than_ttl_is_outside_max_age() =>
        Assert.Equal(FeatureStatus.OutsideMaxAge, FeatureStatuses.Classify(true, false, Now - Ttl - TimeSpan.FromTicks(1), Ttl, Now));

    [Fact]
    public void Stale_wins_over_null() =>
        Assert.Equal(FeatureStatus.OutsideMaxAge, FeatureStatuses.Classify(true, true, Now - TimeSpan.FromDays(1), Ttl, Now));

    [Fact]
    public void Fresh_null_is_null_value() =>
        Assert.Equal(FeatureStatus.NullValue, FeatureStatuses.Classify(true, true, Now, Ttl, Now));

    [Fact]
    public void Ttl_zero_never_expires() =>
        Assert.Equal(FeatureStatus.Present, FeatureStatuses.Classify(true, false, Now.AddYears(-30), TimeSpan.Zero, Now));

    [Fact]
    public void Only_present_values_are_handed_out()
    {
        Assert.True(FeatureStatus.Present.CarriesValue());
        Assert.False(FeatureStatus.OutsideMaxAge.CarriesValue());
        Assert.False(FeatureStatus.NullValue.CarriesValue());
        Assert.False(FeatureStatus.NotFound.CarriesValue());
    }

    [Fact]
    public void Statuses_serialize_with_feast_names() =>
        Assert.Equal("\"OUTSIDE_MAX_AGE\"", System.Text.Json.JsonSerializer.Serialize(FeatureStatus.OutsideMaxAge));

    [Theory]
    [InlineData(FeatureStatus.Present, FeatureStatus.NotFound, FeatureStatus.NotFound)]
    [InlineData(FeatureStatus.NotFound, FeatureStatus.OutsideMaxAge, FeatureStatus.OutsideMaxAge)]
    [InlineData(FeatureStatus.OutsideMaxAge, FeatureStatus.NotFound, FeatureStatus.OutsideMaxAge)]
    [InlineData(FeatureStatus.NotFound, FeatureStatus.Present, FeatureStatus.NotFound)]
    [InlineData(FeatureStatus.NullValue, FeatureStatus.NotFound, FeatureStatus.NotFound)]
    [InlineData(FeatureStatus.Present, FeatureStatus.NullValue, FeatureStatus.Present)] // a null input is read, not missing:
                                                                                        // no worse than present
    public void Of_two_on_demand_inputs_the_worse_status_wins(FeatureStatus current, FeatureStatus input, FeatureStatus worse) =>
        Assert.Equal(worse, FeatureStatuses.WorseInput(current, input));

    [Theory]
    [InlineData(FeatureStatus.OutsideMaxAge, false, FeatureStatus.OutsideMaxAge)]
    [InlineData(FeatureStatus.NotFound, false, FeatureStatus.NotFound)]
    [InlineData(FeatureStatus.NotFound, true, FeatureStatus.NotFound)]
    [InlineData(FeatureStatus.Present, false, FeatureStatus.Present)]
    [InlineData(FeatureStatus.Present, true, FeatureStatus.NullValue)]
    [InlineData(FeatureStatus.NullValue, false, FeatureStatus.Present)]
    public void An_on_demand_feature_reports_a_missing_or_stale_input_else_its_own_value(FeatureStatus worstInput,
        bool valueIsNull, FeatureStatus status) =>
        Assert.Equal(status, FeatureStatuses.OnDemand(worstInput, valueIsNull));

    [Fact]
    public void Online_values_are_kept_twice_the_ttl_past_their_event_time_or_forever()
    {
        Assert.Equal(Now.AddHours(2), OnlineExpiry.For(new RowTime(Now, Now.AddMinutes(5)), Ttl));
        Assert.Null(OnlineExpiry.For(new RowTime(Now), TimeSpan.Zero));
    }
}
