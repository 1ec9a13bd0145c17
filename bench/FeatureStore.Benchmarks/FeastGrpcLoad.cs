using Feast.Serving;
using Feast.Types;
using FeatureStore.Contracts;
using Grpc.Core;
using Grpc.Net.Client;

namespace FeatureStore.Benchmarks;

/// <summary>Reads of the serving benchmark's features through Feast's gRPC API (the client generated from feature-api's .proto
/// files): 1,024 requests per batch size made before the clock starts, as the JSON bodies are.</summary>
public sealed class FeastGrpcLoad : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ServingService.ServingServiceClient _client;
    private readonly Metadata _headers;
    private readonly Dictionary<int, GetOnlineFeaturesRequest[]> _requests = [];

    public FeastGrpcLoad(Uri address, string apiKey, string project, int features, int entities)
    {
        // Several HTTP/2 connections: one would serialise 32 concurrent callers on one socket's flow control. A stream window
        // larger than any answer here (a 100-entity answer is ~130 KB; the default starts at 64 KB): no answer waits on a window
        // update, where a large unary answer has been seen to stall (docs/feast-grpc.md, "Known problem").
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, InitialHttp2StreamWindowSize = 1 << 20 },
        });
        _client = new ServingService.ServingServiceClient(_channel);
        _headers = new Metadata { { FeatureStoreHeaders.ApiKey, apiKey }, { FeatureStoreHeaders.Project, project } };
        var random = new Random(12);
        var names = Enumerable.Range(0, features).Select(f => $"serving:f{f}").ToList();
        foreach (var batch in new[] { 1, 100 })
            _requests[batch] = Enumerable.Range(0, 1024).Select(_ => new GetOnlineFeaturesRequest
            {
                Features = new FeatureList { Val = { names } },
                Entities =
                {
                    ["customer_id"] = new RepeatedValue
                        { Val = { Enumerable.Range(0, batch).Select(_ => new Value { Int64Val = random.Next(entities) }) } },
                },
            }).ToArray();
    }

    public async Task ReadAsync(int batch, int i)
    {
        // A deadline, as a model server would set: a call that never ends counts as a failure instead of stopping the run.
        var answer = await _client.GetOnlineFeaturesAsync(_requests[batch][i % 1024], _headers,
            deadline: DateTime.UtcNow.AddSeconds(10));
        if (answer.Results.Count == 0) throw new InvalidOperationException("an empty answer");
    }

    /// <summary>The smallest call: what the transport and the gRPC framework cost without a read.</summary>
    public async Task InfoAsync(int _) =>
        await _client.GetFeastServingInfoAsync(new GetFeastServingInfoRequest(), _headers, deadline: DateTime.UtcNow.AddSeconds(10));

    public void Dispose() => _channel.Dispose();
}
