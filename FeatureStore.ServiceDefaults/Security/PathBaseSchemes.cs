using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureStore.Api.Security;

/// <summary>
/// Path bases whose requests a module of the host authenticates with its own scheme instead of API keys or tokens: the UI under
/// <c>/ui</c> in the standalone host signs people in with a cookie. Read by the default scheme's selector once per request (one
/// service lookup, no allocation), so a host without such a module pays nothing.
/// </summary>
public sealed class PathBaseSchemes
{
    private readonly List<(PathString PathBase, string Scheme)> _modules = [];

    /// <summary>The scheme of the module owning the request's path base, or null for the API's own.</summary>
    public string? For(HttpRequest request)
    {
        foreach (var (pathBase, scheme) in _modules)
            if (request.PathBase.StartsWithSegments(pathBase)) return scheme;
        return null;
    }

    internal void Add(PathString pathBase, string scheme) => _modules.Add((pathBase, scheme));
}

public static class PathBaseSchemeRegistration
{
    /// <summary>Requests under <paramref name="pathBase"/> (set by <c>UsePathBase</c> before authentication) are authenticated by
    /// <paramref name="scheme"/>.</summary>
    public static IServiceCollection AuthenticateUnder(this IServiceCollection services, PathString pathBase, string scheme)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(PathBaseSchemes))?.ImplementationInstance is not PathBaseSchemes schemes)
            services.AddSingleton(schemes = new PathBaseSchemes());
        schemes.Add(pathBase, scheme);
        return services;
    }
}
