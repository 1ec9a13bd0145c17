using System.Reflection;
using Feast.Serving;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Endpoints;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Serving;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>
/// Feast's <c>feast.serving.ServingService</c> over gRPC: the read <c>POST /get-online-features</c> makes, taken and answered
/// in Feast's messages. The request becomes the JSON endpoint's request (its columns as <see cref="FeastValues"/> writes them,
/// the project from the <see cref="FeatureStoreHeaders.Project"/> header), is checked by the same validator and access rule,
/// read by the same <see cref="OnlineFeatureReader"/>; refusals become gRPC statuses (<see cref="RefusalInterceptor"/>).
/// </summary>
public sealed class FeastServingService(OnlineFeatureReader reader, ServingMetrics metrics) : FeastServingBinding
{
    private const string EndpointName = "grpc/GetOnlineFeatures";
    private static readonly GetFeastOnlineFeaturesValidator Validator = new();

    private static readonly string Version = "featurestore-" + (typeof(FeastServingService).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    public override Task<GetFeastServingInfoResponse> GetFeastServingInfo(GetFeastServingInfoRequest request,
        ServerCallContext context) => Task.FromResult(new GetFeastServingInfoResponse { Version = Version });

    public override async Task<FeastOnlineAnswer> GetOnlineFeatures(GetOnlineFeaturesRequest request,
        ServerCallContext context)
    {
        var http = context.GetHttpContext();
        using var timer = metrics.Time(EndpointName);
        var asked = new FeastOnlineRequestDto
        {
            Project = http.Request.Headers[FeatureStoreHeaders.Project] is [{ } project] ? project : null,
            Entities = FeastValues.Columns(request.Entities, request.RequestContext),
            Features = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.Features ? [.. request.Features.Val] : null,
            FeatureService = request.KindCase == GetOnlineFeaturesRequest.KindOneofCase.FeatureService ? request.FeatureService : null,
            FullFeatureNames = request.FullFeatureNames,
        };
        var invalid = await Validator.ValidateAsync(asked, context.CancellationToken);
        if (!invalid.IsValid)
            throw FieldErrors.Invalid(invalid.Errors.Select(e => new FieldError(ApiDefaults.JsonPath(e.PropertyName), e.ErrorMessage)));
        await AccessCheck.DemandAsync(http, FeatureAction.ReadOnline, Names.ProjectOrDefault(asked.Project), asked,
            context.CancellationToken);
        var answer = await reader.ReadFeastAsync(asked, ReadCaller.Of(http, EndpointName), context.CancellationToken);
        return new FeastOnlineAnswer(request, answer);
    }
}
