using FeatureStore.Domain;
using FluentValidation;

namespace FeatureStore.Api;

/// <summary>The one rule for names in requests (projects, objects, datasets), for every service's validators.</summary>
public static class NameRules
{
    public static IRuleBuilderOptions<T, string?> MustBeName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Names.IsValid).WithMessage($"is required and {Names.Rule}");
}
