using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("45s", 45)]
    [InlineData("30m", 30 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("2w", 14 * 86400)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d12h", 36 * 3600)]
    public void Parses_units_and_sequences(string text, long seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void Milliseconds_are_not_minutes()
    {
        Assert.True(Durations.TryParse("1m500ms", out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(60_500), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-5d")]
    [InlineData("d")]
    [InlineData("1.5h")]
    [InlineData("9999999999d")]
    public void Rejects_what_is_not_a_duration(string? text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("30d")]
    [InlineData("1d12h")]
    [InlineData("1h30m")]
    [InlineData("0")]
    [InlineData("1m500ms")]
    public void Text_round_trips(string text) => Assert.Equal(text, Durations.ToText(Durations.Parse(text)));

    [Fact]
    public void Weeks_print_as_days() => Assert.Equal("14d", Durations.ToText(Durations.Parse("2w")));
}
