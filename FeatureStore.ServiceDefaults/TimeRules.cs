using FluentValidation;

namespace FeatureStore.Api;

/// <summary>The instants a request may name for a period or a moment: from 1970 to the year 9000. Periods are counted back and
/// forth from them; one reaching past the calendar's ends is nothing anyone meant.</summary>
public static class TimeRules
{
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;
    public static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IRuleBuilderOptions<T, DateTimeOffset?> MustBeOrdinaryInstant<T>(this IRuleBuilder<T, DateTimeOffset?> rule) =>
        rule.Must(at => at is null || (at >= Earliest && at < Latest)).WithMessage("must be an instant from 1970 to 9000");
}
