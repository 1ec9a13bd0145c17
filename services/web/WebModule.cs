using FeatureStore.Client;
using FeatureStore.Web.Components;
using FeatureStore.Web.Session;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.FluentUI.AspNetCore.Components;

namespace FeatureStore.Web;

/// <summary>
/// The UI as a module: Blazor pages with server interactivity over the SDK. The services are found as every service finds them
/// (<c>http://registry</c>, <c>http://feature-api</c>, <c>http://model-api</c> through service discovery, which reads
/// <c>services:registry:http:0</c> and the like); a person signs in with an
/// API key, kept only in the encrypted sign-in cookie, and every call carries it: the UI shows what that key may read.
/// </summary>
public static class WebModule
{
    public static TBuilder AddWeb<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();
        builder.Services.AddFeatureStoreHttpClients(options =>
        {
            options.Registry = new Uri("http://registry");
            options.FeatureApi = new Uri("http://feature-api");
            options.ModelApi = new Uri("http://model-api");
        });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = SignInEndpoints.SignInPath;
            cookie.Cookie.Name = "FeatureStore.Web";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<StoreSession>();
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapSignIn();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
