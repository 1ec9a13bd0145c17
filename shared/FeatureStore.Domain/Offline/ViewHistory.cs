using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FeatureStore.Domain;

/// <summary>
/// Which offline history a view version reads and writes (docs/semantics.md, history). History belongs to what a
/// view computes, not to its version number: the source it reads (name, kind, location, timestamp fields),
/// the join keys, the features' names, types and validation rules (defaults included), the transformation
/// and the aggregations. Everything else — description, owner, tags, TTL, online and offline flags,
/// schedule, the invalid-row threshold, the order of the schema — changes how rows are used, not which rows
/// there are, so a version that differs only there keeps the history it had. A history is named by the
/// version that started it (its files live under <c>v{history}</c>).
/// </summary>
public static class ViewHistory
{
    /// <summary>What the view computes, as canonical JSON (the parts above, in a fixed order).</summary>
    public static string Computation(FeatureViewDefinition view) => JsonSerializer.Serialize(Parts(view), DefinitionJson.Options);

    /// <summary>A short fingerprint of <see cref="Computation"/>, for people to compare.</summary>
    public static string Fingerprint(FeatureViewDefinition view) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Computation(view))))[..16];

    /// <summary>
    /// The history <paramref name="next"/> (already stamped with its version) reads: that of the newest earlier version
    /// computing the same (a revert finds its old history again), or a new one named by its own version.
    /// </summary>
    public static int Assign(FeatureViewDefinition next, IEnumerable<FeatureViewDefinition> earlier)
    {
        var computation = Computation(next);
        return earlier.Where(e => e.Version < next.Version).OrderByDescending(e => e.Version)
            .FirstOrDefault(e => Computation(e) == computation)?.HistoryVersion ?? next.Version;
    }

    /// <summary>The parts of the computation that differ between two versions, named as a user wrote them.</summary>
    public static IReadOnlyList<string> Differences(FeatureViewDefinition before, FeatureViewDefinition after)
    {
        var (a, b) = (Parts(before), Parts(after));
        var differences = new List<string>();
        void Compare(string name, object x, object y)
        {
            if (JsonSerializer.Serialize(x, DefinitionJson.Options) != JsonSerializer.Serialize(y, DefinitionJson.Options))
                differences.Add(name);
        }
        Compare("source", a.Source, b.Source);
        Compare("join keys", a.JoinKeys, b.JoinKeys);
        Compare("schema", a.Features, b.Features);
        Compare("transformation", a.Transformation ?? "", b.Transformation ?? "");
        Compare("aggregations", a.Aggregations, b.Aggregations);
        return differences;
    }

    private sealed record SourcePart(string Name, SourceKind Kind, string Path, string TimestampField, string? CreatedTimestampField);

    private sealed record Part(SourcePart Source, IReadOnlyList<JoinKey> JoinKeys, IReadOnlyList<FeatureField> Features,
        string? Transformation,
        IReadOnlyList<Aggregation> Aggregations);

    private static Part Parts(FeatureViewDefinition view) => new(
        new SourcePart(view.Source.Name, view.Source.SourceKind, view.Source.Path,
            view.Source.TimestampField, view.Source.CreatedTimestampField),
        view.JoinKeys,
        // A description documents a feature; it computes nothing.
        view.Features.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f with { Description = null }).ToList(),
        view.TransformationSql?.Trim().TrimEnd(';').Trim() is { Length: > 0 } sql ? sql : null,
        (view.Aggregations ?? []).OrderBy(a => a.Name, StringComparer.Ordinal).ToList());
}
