using Microsoft.AspNetCore.Http;

namespace FeatureStore.Api.Audit;

/// <summary>
/// What a request's handler knows that the audit record should say (the objects an apply changed, the protected features a
/// read touched and for how many entity rows, why a request was refused), kept on the request until
/// <see cref="AuditMiddleware"/> writes the record. Setting a note also makes a request audited that otherwise would not be.
/// </summary>
public sealed class AuditNotes
{
    private const string Key = "FeatureStore.AuditNotes";

    public string? Action { get; set; }
    public string? Project { get; set; }
    public List<string> Objects { get; } = [];
    public List<string> Features { get; } = [];
    public long? EntityRows { get; set; }
    public string? Detail { get; set; }

    /// <summary>Whether a handler asked for the request to be audited (it named the action, objects or features).</summary>
    public bool Audited => Action is not null || Objects.Count > 0 || Features.Count > 0;

    public static AuditNotes Of(HttpContext http)
    {
        if (http.Items.TryGetValue(Key, out var notes)) return (AuditNotes)notes!;
        var created = new AuditNotes();
        http.Items[Key] = created;
        return created;
    }

    public static AuditNotes? Find(HttpContext http) => http.Items.TryGetValue(Key, out var notes) ? (AuditNotes?)notes : null;
}
