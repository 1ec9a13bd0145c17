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
}
