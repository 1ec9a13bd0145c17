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
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>
/// Feast's <c>feast.serving.ServingService</c> over gRPC: the read <c>POST /get-online-features</c> makes, taken and answered
/// in Feast's messages. The request becomes the JSON endpoint's request (its columns as <see cref="FeastValues"/> writes them,
/// the project from the <see cref="FeatureStoreHeaders.Project"/> header), is checked by the same validator and access rule,
/// read by the same <see cref="OnlineFeatureReader"/>; refusals become gRPC statuses (<see cref="RefusalInterceptor"/>).
/// </summary>
public sealed class FeastServingService(OnlineFeatureReader reader, ServingMetrics metrics) : ServingService.ServingServiceBase
{
    private const string EndpointName = "grpc/GetOnlineFeatures";
    private static readonly GetFeastOnlineFeaturesValidator Validator = new();
    private static readonly Timestamp NoTime = new(); // Feast's time for a missing value and for entity columns: the epoch

    private static readonly string Version = "featurestore-" + (typeof(FeastServingService).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    public override Task<GetFeastServingInfoResponse> GetFeastServingInfo(GetFeastServingInfoRequest request,
        ServerCallContext context) => Task.FromResult(new GetFeastServingInfoResponse { Version = Version });

    public override async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request,
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
        return Response(request, answer);
    }

    /// <summary>As Feast answers: the entity columns first (their values as sent, PRESENT, at the epoch), then each feature.
    /// </summary>
    private static GetOnlineFeaturesResponse Response(GetOnlineFeaturesRequest request, OnlineReadResult answer)
    {
        var response = new GetOnlineFeaturesResponse
        {
            Results = { Capacity = answer.Entities.Count + answer.FeatureNames.Count },
            Metadata = new GetOnlineFeaturesResponseMetadata { FeatureNames = new FeatureList() },
        };
        var names = response.Metadata.FeatureNames.Val;
        foreach (var name in answer.Entities.Keys)
        {
            names.Add(name);
            var sent = request.Entities.TryGetValue(name, out var values) ? values : request.RequestContext[name];
            var column = new GetOnlineFeaturesResponse.Types.FeatureVector { Values = { sent.Val } };
            column.Statuses.Capacity = column.EventTimestamps.Capacity = answer.RowCount;
            for (var row = 0; row < answer.RowCount; row++)
            {
                column.Statuses.Add(FieldStatus.Present);
                column.EventTimestamps.Add(NoTime);
            }
            response.Results.Add(column);
        }
        // One Timestamp per distinct event time (a view's features of one row share theirs), not one per value.
        var times = new Dictionary<DateTimeOffset, Timestamp>();
        for (var f = 0; f < answer.FeatureNames.Count; f++)
        {
            names.Add(answer.FeatureNames[f]);
            var column = new GetOnlineFeaturesResponse.Types.FeatureVector();
            column.Values.Capacity = column.Statuses.Capacity = column.EventTimestamps.Capacity = answer.RowCount;
            foreach (var reading in answer.Readings.Column(f))
            {
                column.Values.Add(FeastValues.ToValue(answer.FeatureTypes[f], reading.Value));
                column.Statuses.Add(Status(reading.Status));
                column.EventTimestamps.Add(reading.EventTime is not { } at ? NoTime
                    : times.TryGetValue(at, out var time) ? time : times[at] = Timestamp.FromDateTimeOffset(at));
            }
            response.Results.Add(column);
        }
        return response;
    }

    private static FieldStatus Status(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => FieldStatus.Present,
        FeatureStatus.NullValue => FieldStatus.NullValue,
        FeatureStatus.NotFound => FieldStatus.NotFound,
        FeatureStatus.OutsideMaxAge => FieldStatus.OutsideMaxAge,
        _ => FieldStatus.Invalid,
    };
}
