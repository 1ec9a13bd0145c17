using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>
/// Entity tags of registry resources: an object version (<c>"featureView:stats:v3"</c>) or a project
/// revision (<c>"project:default:r12"</c>). An apply with <c>If-Match</c> goes ahead only while every
/// listed tag is still current.
/// </summary>
public static class ETags
{
    public static string ForObject(ObjectKind kind, string name, int version) => $"\"{kind.ToName()}:{name}:v{version}\"";

    public static string ForProject(string project, long revision) => $"\"project:{project}:r{revision}\"";

    /// <summary>Splits an If-Match header into its tags (quoted strings, or <c>*</c>).</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string?> headerValues) =>
        headerValues.OfType<string>().SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();

    /// <summary>The tags of <paramref name="ifMatch"/> that do not describe <paramref name="state"/> now.</summary>
    public static IReadOnlyList<string> Stale(IReadOnlyList<string> ifMatch, ProjectState state) =>
        ifMatch.Where(tag => !Matches(tag, state)).ToList();

    private static bool Matches(string tag, ProjectState state)
    {
        if (tag == "*") return state.Revision > 0;
        if (tag == ForProject(state.Project, state.Revision)) return true;
        return state.Objects.Any(o => tag == ForObject(o.Kind, o.Name, o.Version));
    }
}
