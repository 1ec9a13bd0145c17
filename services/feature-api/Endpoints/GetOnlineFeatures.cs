using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/online-features</c>: per entity row, the latest value of each requested feature (refs or
/// a feature service; on-demand features computed on the spot) with its status (PRESENT, NULL_VALUE,
/// NOT_FOUND, OUTSIDE_MAX_AGE) and event time. A service reading for a caller (<see cref="OnBehalfOf"/>) is also told, under
/// <c>withheld</c>, which features that caller may not see.
/// </summary>
[Access(FeatureAction.ReadOnline)]
public sealed class GetOnlineFeatures(OnlineFeatureReader reader, ServingMetrics metrics)
    : Endpoint<OnlineFeaturesRequestDto, OnlineFeaturesResponseDto>
{
    public override void Configure()
    {
        Post("online-features");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Online));
        // The answer is written straight to the body (OnlineResponseJson); this is its documented shape.
        Description(d => d.Produces<OnlineFeaturesResponseDto>(200, "application/json")
            .Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(OnlineFeaturesRequestDto request, CancellationToken ct)
    {
        using var timer = metrics.Time("online-features");
        await OnlineResponseJson.SendAsync(HttpContext.Response,
            await reader.ReadAsync(request, SelectionFields.Api, ReadCaller.Of(HttpContext, "online-features"), ct),
            feast: false, ct);
    }
}
