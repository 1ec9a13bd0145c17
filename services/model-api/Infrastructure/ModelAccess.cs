using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using Microsoft.Extensions.Options;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>The churn model lives in its project (<see cref="ChurnModelOptions.Project"/>): what is done with it needs the action
/// there, whatever project a request does not name.</summary>
public static class ModelAccess
{
    public static void Demand(HttpContext http, FeatureAction action, string? project = null) =>
        AccessCheck.Demand(http, action, project ?? http.RequestServices.GetRequiredService<IOptions<ChurnModelOptions>>().Value.Project);
}
