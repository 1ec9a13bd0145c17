using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using Microsoft.AspNetCore.Http;

namespace FeatureStore.Api.Security;

/// <summary>
/// A service reading data for a caller (model-api reading a prediction's features) names that caller, so the answer can say
/// what the caller may not see. The header is believed only from the services' own credential; anyone else's is ignored.
/// </summary>
public static class OnBehalfOf
{
    public const string Header = FeatureStoreHeaders.OnBehalfOf;

    /// <summary>The header's value for <paramref name="caller"/> (<c>id|role,role</c>); null when nothing could be withheld from
    /// them (admins, the services, open mode).</summary>
    public static string? HeaderValue(Principal? caller) =>
        caller is null || caller.Holds(BuiltInRoles.Admin) || caller.Holds(BuiltInRoles.Service) ? null
            : $"{Uri.EscapeDataString(caller.Id)}|{string.Join(',', caller.Roles)}";

    /// <summary>The caller a service request reads for, or null.</summary>
    public static Principal? Of(HttpContext http)
    {
        if (!http.Request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || values[0] is not { } value
            || http.PrincipalOf() is not { } service || !service.Holds(BuiltInRoles.Service)) return null;
        var bar = value.LastIndexOf('|');
        if (bar <= 0) return null;
        var roles = value[(bar + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Whatever the header says, the caller it names is never exempt: at most a reader of the roles it lists.
        return new Principal(Uri.UnescapeDataString(value[..bar]), PrincipalKind.ApiKey, "on behalf of",
            [Principal.AllProjects], roles.Where(r => r is not (BuiltInRoles.Admin or BuiltInRoles.Service)).ToList());
    }
}

/// <summary>
/// A service reading for a model (model-api reading a prediction's features) names the model and version (<c>churn/3</c>), so
/// usage is counted per model. Believed only from the services' own credential.
/// </summary>
public static class ReadingModel
{
    public const string Header = FeatureStoreHeaders.Model;

    /// <summary>The model a service request reads for, or null.</summary>
    public static string? Of(HttpContext http) =>
        http.Request.Headers.TryGetValue(Header, out var values) && values.Count == 1 && values[0] is { Length: > 0 and <= 200 } model
        && http.PrincipalOf() is { } service && service.Holds(BuiltInRoles.Service) ? model : null;
}
