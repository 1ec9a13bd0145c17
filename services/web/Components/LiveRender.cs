using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace FeatureStore.Web.Components;

/// <summary>How the pages render: interactive on the server, without a prerendered first paint — a prerendered page would run
/// its calls twice and take input (a search typed early) that the live page then drops.</summary>
public static class LiveRender
{
    public static readonly IComponentRenderMode Mode = new InteractiveServerRenderMode(prerender: false);
}
