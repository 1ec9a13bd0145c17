using FeatureStore.Domain;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints;

internal static class NameRules
{
    public static IRuleBuilderOptions<T, string?> MustBeName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Names.IsValid).WithMessage($"is required and {Names.Rule}");
}
