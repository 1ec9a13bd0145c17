using Feast.Serving;
using Google.Protobuf;
using Grpc.Core;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>
/// Feast's <c>feast.serving.ServingService</c>, bound here rather than by the generated base class: the online answer has a
/// marshaller of its own (<see cref="FeastOnlineAnswer"/>), the rest protobuf's. Grpc.AspNetCore calls
/// <see cref="BindService"/> without an instance and finds each handler as the override of the method of that name here.
/// </summary>
[BindServiceMethod(typeof(FeastServingBinding), nameof(BindService))]
public abstract class FeastServingBinding
{
    private const string ServiceName = "feast.serving.ServingService";

    private static readonly Method<GetFeastServingInfoRequest, GetFeastServingInfoResponse> InfoMethod = new(MethodType.Unary,
        ServiceName, "GetFeastServingInfo", Protobuf(GetFeastServingInfoRequest.Parser), Protobuf(GetFeastServingInfoResponse.Parser));

    private static readonly Method<GetOnlineFeaturesRequest, FeastOnlineAnswer> OnlineFeaturesMethod = new(MethodType.Unary,
        ServiceName, "GetOnlineFeatures", Protobuf(GetOnlineFeaturesRequest.Parser), FeastOnlineAnswer.Marshaller);

    public abstract Task<GetFeastServingInfoResponse> GetFeastServingInfo(GetFeastServingInfoRequest request, ServerCallContext context);

    public abstract Task<FeastOnlineAnswer> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context);

    public static void BindService(ServiceBinderBase binder, FeastServingBinding? service)
    {
        binder.AddMethod(InfoMethod, service is null ? null! : service.GetFeastServingInfo);
        binder.AddMethod(OnlineFeaturesMethod, service is null ? null! : service.GetOnlineFeatures);
    }

    private static Marshaller<T> Protobuf<T>(MessageParser<T> parser) where T : IMessage<T> => Marshallers.Create<T>(
        (message, context) =>
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
