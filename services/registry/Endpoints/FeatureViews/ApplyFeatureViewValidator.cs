using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Objects;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.FeatureViews;

public sealed class ApplyFeatureViewValidator : Validator<FeatureViewDto>
{
    public ApplyFeatureViewValidator()
    {
        RuleFor(v => v.Project).MustBeName().When(v => v.Project is not null);
        RuleFor(v => v.Name).MustBeName();
        RuleFor(v => v.Entity).NotNull().WithMessage("is required: {\"name\", \"joinKey\", \"type\"}");
        RuleFor(v => v.Entity!.Name).MustBeName().When(v => v.Entity is not null);
        RuleFor(v => v.Entity!.JoinKey).MustBeName().When(v => v.Entity is not null);
        RuleFor(v => v.Entity!.Type)
            .Must(type => FeatureValueTypes.TryParse(type, out var t) && t.CanBeJoinKey())
            .WithMessage("must be a join-key type: int32, int64 or string")
            .When(v => v.Entity is not null);

        RuleFor(v => v.Source).NotNull().WithMessage("is required: {\"path\", \"timestampField\"}");
        RuleFor(v => v.Source!.Path).Must(ObjectKeys.IsValid)
            .WithMessage("must be an object key in the object store, such as 'sources/customers.parquet'")
            .When(v => v.Source is not null);
        RuleFor(v => v.Source!.TimestampField).MustBeName().When(v => v.Source is not null);
        RuleFor(v => v.Source!.CreatedTimestampField).MustBeName()
            .When(v => !string.IsNullOrEmpty(v.Source?.CreatedTimestampField));

        RuleFor(v => v.Features).NotEmpty().WithMessage("must list at least one feature");
        RuleForEach(v => v.Features).ChildRules(feature =>
        {
            feature.RuleFor(f => f).NotNull().WithMessage("must be {\"name\", \"type\"}");
            feature.RuleFor(f => f.Name).MustBeName().When(f => f is not null);
            feature.RuleFor(f => f.Type).Must(type => FeatureValueTypes.TryParse(type, out _))
                .WithMessage($"must be one of {string.Join(", ", FeatureValueTypes.KnownNames)}").When(f => f is not null);
        });
        RuleForEach(v => v.Features).Must((view, feature) => view.Features!.Count(f => f?.Name == feature?.Name) == 1)
            .WithMessage("repeats a feature name; names are unique within a view").When(v => v.Features is not null);
        RuleForEach(v => v.Features).Must((view, feature) => !ReservedColumns(view).Contains(feature?.Name))
            .WithMessage("is the join key or a timestamp column, not a feature").When(v => v.Features is not null);

        RuleFor(v => v.Ttl).Must(ttl => Durations.TryParse(ttl, out _))
            .WithMessage($"must be {Durations.Format}").When(v => v.Ttl is not null);
    }

    private static HashSet<string?> ReservedColumns(FeatureViewDto view) =>
        [view.Entity?.JoinKey, view.Source?.TimestampField, view.Source?.CreatedTimestampField];
}

internal static class NameRules
{
    public static IRuleBuilderOptions<T, string?> MustBeName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Names.IsValid).WithMessage($"is required and {Names.Rule}");
}
