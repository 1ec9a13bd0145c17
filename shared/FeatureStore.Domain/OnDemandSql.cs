using System.Text.RegularExpressions;

namespace FeatureStore.Domain;

/// <summary>A column an on-demand view's expressions may name: an input feature or a request field.</summary>
public sealed record OnDemandColumn(string Name, FeatureValueType Type, OnDemandInput? Input);

/// <summary>
/// How on-demand features are computed, in one place for the registry's check, online serving and
/// historical retrieval: each expression is DuckDB SQL over one row of inputs.
/// </summary>
public static partial class OnDemandSql
{
    /// <summary>The row key carried through so results line up with their request rows.</summary>
    public const string RowColumn = "__row";

    /// <summary>The stored name of an input in a relation: always <c>view__feature</c>.</summary>
    public static string InputColumn(OnDemandInput input) => $"{input.View}__{input.Feature}";

    /// <summary>
    /// Columns as expressions see them: inputs answer to <c>view__feature</c> always, and to their bare
    /// name when no other input shares it; request fields by their own name (an input's bare name wins).
    /// </summary>
    public static IReadOnlyList<OnDemandColumn> Columns(OnDemandFeatureViewDefinition view) =>
        view.Inputs.Select(i => new OnDemandColumn(InputColumn(i), i.Type, i))
            .Concat(view.Inputs.GroupBy(i => i.Feature).Where(g => g.Count() == 1)
                .Select(g => new OnDemandColumn(g.Key, g.Single().Type, g.Single())))
            .Concat(view.RequestFields.Select(f => new OnDemandColumn(f.Name, f.Type, null)))
            .DistinctBy(c => c.Name).ToList();

    /// <summary>
    /// The relation's columns an evaluation needs: each input once (<c>view__feature</c>) and each request field.
    /// </summary>
    public static IReadOnlyList<OnDemandColumn> StoredColumns(OnDemandFeatureViewDefinition view) =>
        view.Inputs.Select(i => new OnDemandColumn(InputColumn(i), i.Type, i)).DistinctBy(c => c.Name)
            .Concat(view.RequestFields.Select(f => new OnDemandColumn(f.Name, f.Type, null))).ToList();

    /// <summary>
    /// The inputs one feature's expression uses (<see cref="Uses"/>). An on-demand feature is missing or stale only
    /// when an input it uses is, as its value would be null offline only then.
    /// </summary>
    public static IReadOnlySet<OnDemandInput> InputsOf(OnDemandFeatureViewDefinition view, OnDemandFeature feature) =>
        view.Inputs.Where(i => Uses(feature.Expression, i.View, i.Feature)).ToHashSet();

    /// <summary>Whether an expression names a view's feature, bare or as <c>view__feature</c> (case ignored, as DuckDB does).</summary>
    public static bool Uses(string expression, string view, string feature) =>
        Identifiers(expression).Any(id => string.Equals(id, feature, StringComparison.OrdinalIgnoreCase)
                                          || string.Equals(id, $"{view}__{feature}", StringComparison.OrdinalIgnoreCase));

    /// <summary>Identifier-like words of an expression outside string literals: the names it may use.</summary>
    public static IEnumerable<string> Identifiers(string expression) =>
        IdentifierPattern().Matches(StringLiteral().Replace(expression, " ")).Select(m => m.Value);

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("'([^']|'')*'")]
    private static partial Regex StringLiteral();

    /// <summary>
    /// <c>SELECT __row, (expression) AS feature, …</c> over <paramref name="relation"/>, which holds
    /// <see cref="RowColumn"/> and the <see cref="StoredColumns"/>. Results come back cast to the declared types.
    /// </summary>
    public static string Evaluate(OnDemandFeatureViewDefinition view, string relation, IReadOnlyList<string>? features = null)
    {
        var aliases = Columns(view).Select(c => c.Input is { } input && c.Name != InputColumn(input)
            ? $"{DuckDbTypes.Quote(InputColumn(input))} AS {DuckDbTypes.Quote(c.Name)}" : DuckDbTypes.Quote(c.Name));
        var outputs = view.Features.Where(f => features is null || features.Contains(f.Name))
            .Select(f => $"CAST(({f.Expression}) AS {DuckDbTypes.ToSql(f.Type)}) AS {DuckDbTypes.Quote(f.Name)}");
        return $"SELECT {RowColumn}, {string.Join(", ", outputs)} " +
            $"FROM (SELECT {RowColumn}, {string.Join(", ", aliases)} FROM {relation}) AS inputs";
    }
}
