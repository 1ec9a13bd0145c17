using System.Text.RegularExpressions;
using FeatureStore.Domain.Security;

namespace FeatureStore.Domain;

/// <summary>
/// Permissions as code: which objects of the project it covers (<see cref="Types"/>, names matching any of
/// <see cref="NamePatterns"/> — <c>*</c> and <c>?</c> wildcards —, and every one of <see cref="RequiredTags"/>; an empty
/// list or map matches everything), and what holders of <see cref="Roles"/> may do with them (<see cref="Actions"/>).
/// <see cref="Projects"/> are other projects it grants to: with <c>read_offline</c> over a data source, they may read that
/// source's object (<see cref="SourceScope"/>). Only an admin may apply a change to one.
/// </summary>
/// <param name="Projects">Other projects the permission grants to; null when it names none (a trailing optional parameter, so
/// versions stored before it existed still read).</param>
public sealed partial record PermissionDefinition(
    string Project,
    string Name,
    IReadOnlyList<ObjectKind> Types,
    IReadOnlyList<string> NamePatterns,
    IReadOnlyDictionary<string, string> RequiredTags,
    IReadOnlyList<string> Roles,
    IReadOnlyList<FeatureAction> Actions,
    ObjectMetadata Metadata,
    int Version = 0,
    IReadOnlyList<string>? Projects = null) : IRegistryDefinition
{
    /// <summary>When this version was applied (stamped by the registry).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public ObjectKind Kind => ObjectKind.Permission;

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() => [];

    /// <summary>Whether this permission covers an object of <paramref name="kind"/> named <paramref name="name"/> carrying
    /// <paramref name="tags"/>.</summary>
    public bool Covers(ObjectKind kind, string name, IReadOnlyDictionary<string, string> tags) =>
        (Types.Count == 0 || Types.Contains(kind))
        && (NamePatterns.Count == 0 || NamePatterns.Any(pattern => Matches(pattern, name)))
        && RequiredTags.All(tag => tags.TryGetValue(tag.Key, out var value) && value == tag.Value);

    /// <summary>A name pattern: letters, digits and <c>_</c>, with <c>*</c> for any run and <c>?</c> for one character.</summary>
    public static bool IsPattern(string? pattern) => pattern is { Length: > 0 and <= 128 } && PatternText().IsMatch(pattern);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    private static bool Matches(string pattern, string name) => Patterns.GetOrAdd(pattern, p =>
        new Regex("^" + Regex.Escape(p).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.None,
            TimeSpan.FromMilliseconds(100))).IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_*?]+$")]
    private static partial Regex PatternText();
}
