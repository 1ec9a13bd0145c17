using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Domain.Security;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Monitoring;

/// <summary>A request about a project's serving over a period: [start, end), by default the last hour.</summary>
public abstract class MonitoringPeriodRequest : IProjectScoped
{
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(31);

    [QueryParam] public string? Project { get; set; }
    [QueryParam] public DateTimeOffset? Start { get; set; }
    [QueryParam] public DateTimeOffset? End { get; set; }

    /// <summary>The period asked for, with its defaults: until now, an hour long.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Period(DateTimeOffset now)
    {
        var end = End ?? now;
        return (Start ?? end.AddHours(-1), end);
    }
}

public static class MonitoringPeriodRules
{
    public static void AddPeriodRules<T>(this AbstractValidator<T> validator) where T : MonitoringPeriodRequest
    {
        validator.RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        validator.RuleFor(r => r.Start).MustBeOrdinaryInstant();
        validator.RuleFor(r => r.End).MustBeOrdinaryInstant();
        validator.RuleFor(r => r.End).GreaterThan(r => r.Start).When(r => r.Start is not null && r.End is not null)
            .WithMessage("must be after start");
        validator.RuleFor(r => r.Start)
            .Must((r, start) => (r.End ?? DateTimeOffset.UtcNow) - start!.Value <= MonitoringPeriodRequest.MaxPeriod)
            .When(r => r.Start is not null).WithMessage("must be at most 31 days before end");
    }
}
