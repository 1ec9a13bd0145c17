namespace FeatureStore.Api;

/// <summary>
/// The one table between HTTP statuses and gRPC status codes (the numbers of grpc's <c>status.proto</c>): the gRPC edge answers
/// a refusal with the code of its HTTP status, and the audit tells a gRPC call's code as the HTTP status of the same refusal.
/// </summary>
public static class GrpcStatuses
{
    public const int Ok = 0;
    public const int Unknown = 2;

    // A gRPC code, the HTTP status it is told as, and further HTTP statuses that become it (several HTTP refusals of a request's
    // shape are all INVALID_ARGUMENT; a failed precondition is 412 or 422 over HTTP).
    private static readonly (int Grpc, int Http, int[] AlsoFrom)[] Table =
    [
        (Ok, 200, []), (3, 400, [413, 415]), (16, 401, []), (7, 403, []), (5, 404, []), (6, 409, []), (9, 422, [412]),
        (8, 429, []), (12, 501, []), (14, 503, []), (4, 504, []),
    ];

    /// <summary>The gRPC code of an HTTP status; UNKNOWN for one the table does not hold.</summary>
    public static int FromHttp(int status)
    {
        foreach (var (grpc, http, also) in Table)
            if (http == status || also.Contains(status)) return grpc;
        return Unknown;
    }

    /// <summary>The HTTP status a gRPC code is told as; 500 for one the table does not hold (INTERNAL, UNKNOWN, …).</summary>
    public static int ToHttp(int code)
    {
        foreach (var (grpc, http, _) in Table)
            if (grpc == code) return http;
        return 500;
    }
}
