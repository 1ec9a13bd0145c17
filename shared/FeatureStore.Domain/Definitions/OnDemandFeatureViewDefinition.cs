using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>A feature of another view that an on-demand view's expressions read.</summary>
public sealed record OnDemandInput(string View, string Feature, FeatureValueType Type);

/// <summary>A feature computed at request time: <see cref="Expression"/> over inputs and request fields.</summary>
public sealed record OnDemandFeature(string Name, FeatureValueType Type, string Expression, string? Description = null);

/// <summary>
/// How online serving computes a view's features, as the registry decided when the version was applied: <see cref="InProcess"/>
/// (its expressions compiled to .NET, no query per request) or <see cref="DuckDb"/> (a query per request), with the reason when
/// an expression uses something the in-process evaluator does not compute. Historical retrieval always uses DuckDB.
/// </summary>
public sealed record OnDemandEvaluation(string Evaluator, string? Reason = null)
{
    public const string InProcess = "in_process";
    public const string DuckDb = "duckdb";

    [JsonIgnore] public bool IsInProcess => Evaluator == InProcess;
}

/// <summary>Features derived at request time from other views' features and request data; <see cref="Evaluation"/> is the
/// registry's choice of evaluator for online serving (absent on versions applied before it chose: DuckDB).</summary>
public sealed record OnDemandFeatureViewDefinition(
    string Project,
    string Name,
    IReadOnlyList<string> Sources,
    IReadOnlyList<OnDemandInput> Inputs,
    IReadOnlyList<SourceField> RequestFields,
    IReadOnlyList<OnDemandFeature> Features,
    ObjectMetadata Metadata,
    int Version = 0,
    OnDemandEvaluation? Evaluation = null) : IRegistryDefinition
{
    /// <summary>When this version was applied (stamped by the registry). A property, not a constructor parameter: a
    /// parameter's <c>= default</c> for a DateTimeOffset breaks the OpenAPI schema export.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public ObjectKind Kind => ObjectKind.OnDemandFeatureView;

    public OnDemandFeature? FindFeature(string name) => Features.FirstOrDefault(f => f.Name == name);

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() => Sources.Select(s => (ObjectKind.FeatureView, s));
}
