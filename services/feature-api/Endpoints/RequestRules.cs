using System.Linq.Expressions;
using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>Rules shared by every request that selects features and sends entity columns; written once.</summary>
public static class RequestRules
{
    /// <summary>Exactly one of feature refs or a feature service, a service name valid (each ref is checked, by index, when
    /// resolved).</summary>
    public static void AddFeatureChoiceRules<T>(this AbstractValidator<T> validator, Expression<Func<T, List<string>?>> features,
        Expression<Func<T, string?>> service, SelectionFields names)
    {
        var getService = service.Compile();
        validator.RuleFor(features).NotEmpty().OverridePropertyName(names.Features)
            .WithMessage($"must list at least one feature reference, {FeatureRef.Format}, unless {names.FeatureService} is given")
            .When(r => getService(r) is null);
        validator.RuleFor(features).Empty().OverridePropertyName(names.Features)
            .WithMessage($"give either {names.Features} or {names.FeatureService}, not both")
            .When(r => getService(r) is not null);
        validator.RuleFor(service).MustBeName().OverridePropertyName(names.FeatureService).When(r => getService(r) is not null);
    }

    /// <summary>Entity columns: at least one, each as long as the others, at most <paramref name="maxRows"/> rows.</summary>
    public static void AddEntityColumnRules<T>(this AbstractValidator<T> validator,
        Expression<Func<T, Dictionary<string, List<JsonElement>>?>> entities,
        int maxRows, string name = "entities")
    {
        var get = entities.Compile();
        validator.RuleFor(entities).NotEmpty().OverridePropertyName(name)
            .WithMessage("must map each join key to its values, such as {\"customer_id\": [1001, 1002]}");
        validator.RuleFor(entities).Must(e => e!.Values.All(column => column is { Count: > 0 })).OverridePropertyName(name)
            .WithMessage("every column needs at least one value").When(r => get(r) is { Count: > 0 });
        validator.RuleFor(entities).Must(e => e!.Values.Select(column => column?.Count).Distinct().Count() == 1).OverridePropertyName(name)
            .WithMessage("every column needs the same number of values (one per entity row)").When(r => get(r) is { Count: > 0 });
        validator.RuleFor(entities).Must(e => e!.Values.First()?.Count <= maxRows).OverridePropertyName(name)
            .WithMessage($"may hold at most {maxRows} entity rows per request").When(r => get(r) is { Count: > 0 });
    }
}
