using System.Security.Claims;
using FeatureStore.Domain.Security;
using Microsoft.AspNetCore.Http;

namespace FeatureStore.Api.Security;

/// <summary>A <see cref="Principal"/> as claims (what ASP.NET authentication carries) and back, whichever way it came in.</summary>
public static class PrincipalClaims
{
    public const string Id = "fs:id";
    public const string Kind = "fs:kind";
    public const string Name = "fs:name";
    public const string Project = "fs:project";
    public const string Role = "fs:role";
    public const string RequestsPerSecond = "fs:rps";
    private const string ItemKey = "fs:principal";

    public static ClaimsPrincipal ToClaims(Principal principal, string scheme)
    {
        List<Claim> claims = [new(Id, principal.Id), new(Kind, principal.Kind.ToString()), new(Name, principal.Name)];
        claims.AddRange(principal.Projects.Select(p => new Claim(Project, p)));
        claims.AddRange(principal.Roles.Select(r => new Claim(Role, r)));
        if (principal.RequestsPerSecond is { } rps)
            claims.Add(new Claim(RequestsPerSecond, rps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, Name, Role));
    }

    /// <summary>Authentication's answer, kept as it is so the request's later readers need not rebuild it from claims.</summary>
    public static void SetPrincipal(this HttpContext http, Principal principal) => http.Items[ItemKey] = principal;

    /// <summary>The caller of this request; null when nobody authenticated (an anonymous endpoint).</summary>
    public static Principal? PrincipalOf(this HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var known)) return (Principal?)known;
        var principal = FromClaims(http.User);
        http.Items[ItemKey] = principal;
        return principal;
    }

    private static Principal? FromClaims(ClaimsPrincipal user)
    {
        if (user.FindFirst(Id)?.Value is not { } id || !Enum.TryParse<PrincipalKind>(user.FindFirst(Kind)?.Value, out var kind))
            return null;
        return new Principal(id, kind, user.FindFirst(Name)?.Value ?? id,
            user.FindAll(Project).Select(c => c.Value).ToList(), user.FindAll(Role).Select(c => c.Value).ToList(),
            int.TryParse(user.FindFirst(RequestsPerSecond)?.Value, out var rps) ? rps : null);
    }
}
