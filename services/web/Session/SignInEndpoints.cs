using System.Security.Claims;
using FeatureStore.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace FeatureStore.Web.Session;

/// <summary>
/// Signing in with an API key: the registry is asked whether the key is good (it lists the projects the key covers); a good key
/// is kept in the sign-in cookie (encrypted by ASP.NET Core's data protection, never written anywhere else), a refused one
/// sends the person back to the form with the reason.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPath = "/signin";
    public const string KeyClaim = "featurestore:key";

    public static void MapSignIn(this WebApplication app, Action<EndpointBuilder> convention)
    {
        // The form carries an antiforgery token, checked here. Not operations of the API: left out of its OpenAPI document.
        app.MapPost(SignInPath, SignInAsync).AllowAnonymous().ExcludeFromDescription().Add(convention);
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("~" + SignInPath);
        }).AllowAnonymous().ExcludeFromDescription().Add(convention);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IHttpClientFactory clients, [FromForm] string? key,
        [FromForm] string? returnUrl)
    {
        key = key?.Trim() ?? "";
        // Only a path of this site (the whole path, path base included): a sign-in never sends anyone elsewhere.
        returnUrl = returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\")
            ? url : $"{http.Request.PathBase}/";
        if (key.Length == 0) return Back("an API key is needed", returnUrl);
        try
        {
            using var store = StoreSession.For(key, clients);
            await store.ListProjectsAsync(http.RequestAborted);
        }
        catch (FeatureStoreException e)
        {
            return Back(e.Status is 401 or 403 ? "the registry does not accept this key" : $"the registry could not check it: {e.Message}",
                returnUrl);
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "API key"), new Claim(KeyClaim, key)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(returnUrl);
    }

    // "~/…" is a path of the UI: under its path base when it shares a host (the standalone host's /ui).
    private static IResult Back(string error, string returnUrl) =>
        Results.LocalRedirect($"~{SignInPath}?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}");
}
