using FeatureStore.Api;
using Grpc.Core;

namespace FeatureStore.UnitTests.Serving;

public class GrpcStatusesTests
{
    [Theory]
    [InlineData(400, StatusCode.InvalidArgument, 400)]
    [InlineData(413, StatusCode.InvalidArgument, 400)]
    [InlineData(415, StatusCode.InvalidArgument, 400)]
    [InlineData(401, StatusCode.Unauthenticated, 401)]
    [InlineData(403, StatusCode.PermissionDenied, 403)]
    [InlineData(404, StatusCode.NotFound, 404)]
    [InlineData(409, StatusCode.AlreadyExists, 409)]
    [InlineData(412, StatusCode.FailedPrecondition, 422)]
    [InlineData(422, StatusCode.FailedPrecondition, 422)]
    [InlineData(429, StatusCode.ResourceExhausted, 429)]
    [InlineData(501, StatusCode.Unimplemented, 501)]
    [InlineData(503, StatusCode.Unavailable, 503)]
    [InlineData(504, StatusCode.DeadlineExceeded, 504)]
    [InlineData(418, StatusCode.Unknown, 500)]
    public void A_refusal_becomes_its_grpc_code_and_is_audited_as_the_same_refusal(int http, StatusCode grpc, int toldAs)
    {
        Assert.Equal(grpc, (StatusCode)GrpcStatuses.FromHttp(http));
        Assert.Equal(toldAs, GrpcStatuses.ToHttp((int)grpc));
    }

    [Theory]
    [InlineData(StatusCode.OK, 200)]
    [InlineData(StatusCode.Internal, 500)]
    [InlineData(StatusCode.DataLoss, 500)]
    public void Codes_no_refusal_makes_are_told_as_success_or_our_failure(StatusCode grpc, int http) =>
        Assert.Equal(http, GrpcStatuses.ToHttp((int)grpc));
}
