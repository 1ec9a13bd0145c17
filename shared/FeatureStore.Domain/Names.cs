using System.Text.RegularExpressions;

namespace FeatureStore.Domain;

/// <summary>What a valid name of a project, entity, view or feature looks like.</summary>
public static partial class Names
{
    public const string DefaultProject = "default";

    /// <summary>The project a request means: the one it names, else <see cref="DefaultProject"/> (as Feast's single-project
    /// repositories).</summary>
    public static string ProjectOrDefault(string? project) => project ?? DefaultProject;
    public const int MaxLength = 128;

    // Names become Redis keys, Parquet column names, object-store paths and SQL identifiers,
    // so they stay within the characters that are safe in all four.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && IdentifierPattern().IsMatch(name);

    public const string Rule = "must start with a letter or '_', contain only letters, digits and '_', and be at most 128 characters";
}
