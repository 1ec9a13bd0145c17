namespace FeatureStore.Client;

/// <summary>One field a service refused, and why (a problem document's <c>errors</c>).</summary>
public sealed record ProblemField(string Name, string Reason);

/// <summary>
/// A service refused the call or could not answer it: its status, the problem's title and detail, and every field it named. 400:
/// the request (see <see cref="Fields"/>); 401/403: the key; 404: what was named does not exist; 409: a conflict; 503: a
/// dependency the service names is down. A service that did not answer at all (not reachable, no answer in time, its circuit open
/// after repeated failures) is a 503 too, with <see cref="Answered"/> false and the reason in <see cref="Detail"/>.
/// </summary>
public sealed class FeatureStoreException(int status, string title, string? detail, IReadOnlyList<ProblemField> fields,
    bool answered = true)
    : Exception(fields.Count > 0 ? $"{status} {title}: {string.Join("; ", fields.Select(f => $"{f.Name}: {f.Reason}"))}"
        : $"{status} {title}{(detail is null ? "" : $": {detail}")}")
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyList<ProblemField> Fields { get; } = fields;

    /// <summary>Whether the service answered (false: it could not be reached, did not answer in time, or its circuit was open).
    /// </summary>
    public bool Answered { get; } = answered;
}
