using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using Microsoft.AspNetCore.Http;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>
/// Who a read is for and through which endpoint: the principal calling; when a service reads for someone
/// (<see cref="Api.Security.OnBehalfOf"/>), that caller; and when it reads for a model (<see cref="ReadingModel"/>), which one.
/// </summary>
public sealed record ReadCaller(string Endpoint, Principal? Principal, Principal? OnBehalfOf = null, string? Model = null)
{
    public static ReadCaller Of(HttpContext http, string endpoint) =>
        new(endpoint, http.PrincipalOf(), Api.Security.OnBehalfOf.Of(http), ReadingModel.Of(http));

    /// <summary>The name usage is counted under: the caller read for, else the principal calling.</summary>
    public string UsageName => OnBehalfOf?.Id ?? Principal?.Id ?? "anonymous";
}
