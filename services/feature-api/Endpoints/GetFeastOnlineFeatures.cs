using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>
/// <c>POST /get-online-features</c> (no <c>/api/v1</c> prefix, as Feast's feature server serves it): the same
/// read as <see cref="GetOnlineFeatures"/>, in Feast's request and column-major response shapes.
/// </summary>
[Access(FeatureAction.ReadOnline)]
public sealed class GetFeastOnlineFeatures(OnlineFeatureReader reader, ServingMetrics metrics)
    : Endpoint<FeastOnlineRequestDto, FeastOnlineResponseDto>
{
    public override void Configure()
    {
        Post("get-online-features");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Online));
        RoutePrefixOverride(string.Empty);
        Description(d => d.Produces<FeastOnlineResponseDto>(200, "application/json")
            .Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(FeastOnlineRequestDto request, CancellationToken ct)
    {
        using var timer = metrics.Time("get-online-features");
        var answer = await reader.ReadFeastAsync(request, ReadCaller.Of(HttpContext, "get-online-features"), ct);
        await OnlineResponseJson.SendAsync(HttpContext.Response, answer, feast: true, ct);
    }
}

public sealed class GetFeastOnlineFeaturesValidator : Validator<FeastOnlineRequestDto>
{
    public GetFeastOnlineFeaturesValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        this.AddFeatureChoiceRules(r => r.Features, r => r.FeatureService, SelectionFields.Feast);
        this.AddEntityColumnRules(r => r.Entities, GetOnlineFeaturesValidator.MaxEntityRows);
    }
}
