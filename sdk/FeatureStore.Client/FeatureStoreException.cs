namespace FeatureStore.Client;

/// <summary>One field a service refused, and why (a problem document's <c>errors</c>).</summary>
public sealed record ProblemField(string Name, string Reason);

/// <summary>
/// A service refused the call or could not answer it: its status, the problem's title and detail, and every field it named. 400:
/// the request (see <see cref="Fields"/>); 401/403: the key; 404: what was named does not exist; 409: a conflict; 503: a
/// dependency the service names is down.
/// </summary>
public sealed class FeatureStoreException(int status, string title, string? detail, IReadOnlyList<ProblemField> fields)
    : Exception(fields.Count > 0 ? $"{status} {title}: {string.Join("; ", fields.Select(f => $"{f.Name}: {f.Reason}"))}"
        : $"{status} {title}{(detail is null ? "" : $": {detail}")}")
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyList<ProblemField> Fields { get; } = fields;
}
