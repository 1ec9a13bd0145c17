namespace FeatureStore.Domain.Security;

/// <summary>
/// The roles every deployment has, and what each may do on the objects of the projects a principal covers. Other roles are
/// names a repository's <c>permissions</c> give meaning to. <c>admin</c> does everything and alone administers (keys,
/// permissions, the audit log, for which it must cover every project); <c>writer</c> changes definitions and data;
/// <c>reader</c> looks and reads; <c>service</c> is the services' own identity and the only holder of
/// <see cref="FeatureAction.Internal"/>.
/// </summary>
public static class BuiltInRoles
{
    public const string Admin = "admin";
    public const string Writer = "writer";
    public const string Reader = "reader";
    public const string Service = "service";

    public static readonly IReadOnlyList<string> All = [Admin, Writer, Reader, Service];

    private static readonly FeatureAction[] ReaderActions =
        [FeatureAction.Describe, FeatureAction.ReadOnline, FeatureAction.ReadOffline, FeatureAction.Predict];

    private static readonly FeatureAction[] WriterActions =
    [
        .. ReaderActions, FeatureAction.Create, FeatureAction.Update, FeatureAction.Delete, FeatureAction.Materialize,
        FeatureAction.WriteOnline, FeatureAction.WriteOffline, FeatureAction.Train,
    ];

    /// <summary>Whether <paramref name="role"/> by itself allows <paramref name="action"/>.</summary>
    public static bool Grants(string role, FeatureAction action) => role switch
    {
        Service => true,
        Admin => action != FeatureAction.Internal,
        Writer => WriterActions.Contains(action),
        Reader => ReaderActions.Contains(action),
        _ => false,
    };

    public static bool IsBuiltIn(string role) => All.Contains(role);
}
