using FeatureStore.Api.Security;
using FeatureStore.Client;
using FeatureStore.Web.Components;
using FeatureStore.Web.Session;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.FluentUI.AspNetCore.Components;

namespace FeatureStore.Web;

/// <summary>
/// The UI as a module: Blazor pages with server interactivity over the SDK. The services are found as every service finds them
/// (<c>http://registry</c>, <c>http://feature-api</c>, <c>http://model-api</c> through service discovery, which reads
/// <c>services:registry:http:0</c> and the like); a person signs in with an API key, kept only in the encrypted sign-in cookie,
/// and every call carries it: the UI shows what that key may read.
/// <para>Two ways to host it: as its own application (<see cref="AddWeb"/> without a path base, then <see cref="UseWeb"/>), or
/// beside the API in one host under a path base (the standalone host's <c>/ui</c>: <see cref="AddWeb"/> with it, then
/// <see cref="UseWebPathBase"/> first in the pipeline and <see cref="MapWeb"/> after the API's middleware).</para>
/// </summary>
public static class WebModule
{
    public static TBuilder AddWeb<TBuilder>(this TBuilder builder, PathString pathBase = default) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();
        builder.Services.AddFeatureStoreHttpClients(options =>
        {
            options.Registry = new Uri("http://registry");
            options.FeatureApi = new Uri("http://feature-api");
            options.ModelApi = new Uri("http://model-api");
        });
        // Its own application: the cookie is the host's scheme. Beside the API: the cookie only under the UI's path base.
        var authentication = pathBase.HasValue
            ? builder.Services.AddAuthentication()
            : builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        if (pathBase.HasValue) builder.Services.AuthenticateUnder(pathBase, CookieAuthenticationDefaults.AuthenticationScheme);
        authentication.AddCookie(cookie =>
        {
            cookie.LoginPath = SignInEndpoints.SignInPath;
            cookie.Cookie.Name = "FeatureStore.Web";
            cookie.Cookie.Path = pathBase.HasValue ? pathBase.Value : "/";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<StoreSession>();
        return builder;
    }

    /// <summary>The UI as its own application: sign-in, then its pages.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWeb();
        return app;
    }

    /// <summary>First in a shared host's pipeline: requests under <paramref name="pathBase"/> reach the UI's endpoints (with the
    /// path base taken off, so its pages keep their routes), and only those; the UI's endpoints answer nowhere else.</summary>
    public static WebApplication UseWebPathBase(this WebApplication app, PathString pathBase)
    {
        app.UsePathBase(pathBase);
        app.UseRouting();
        app.Use((http, next) =>
        {
            var isWeb = http.GetEndpoint()?.Metadata.GetMetadata<WebEndpoint>() is not null;
            if (isWeb != http.Request.PathBase.StartsWithSegments(pathBase)) http.SetEndpoint(null); // not found, as a problem
            return next(http);
        });
        return app;
    }

    /// <summary>The UI's endpoints (after authentication and authorization): its assets, sign-in and pages, each marked as the
    /// UI's.</summary>
    public static WebApplication MapWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets().Add(Mark);
        app.MapSignIn(Mark);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().Add(Mark);
        return app;
    }

    private static void Mark(EndpointBuilder endpoint) => endpoint.Metadata.Add(WebEndpoint.Instance);

    /// <summary>Marks an endpoint as the UI's.</summary>
    private sealed class WebEndpoint
    {
        public static readonly WebEndpoint Instance = new();
    }
}
