using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>Where feature-api answers Feast's gRPC API: <c>FeatureStore:Grpc:Port</c> (none: no gRPC).</summary>
public sealed class GrpcOptions
{
    public const string Section = "FeatureStore:Grpc";

    /// <summary>The port of the gRPC listener (HTTP/2 without TLS, h2c, as Feast's clients call a plain server); on the host
    /// of the first HTTP address. Feast's own serving port is 6566.</summary>
    public int? Port { get; set; }
}

/// <summary>
/// Feast's gRPC serving API beside the HTTP API: a second Kestrel listener that speaks only HTTP/2 (a plain-text port cannot
/// offer both: h2c needs prior knowledge), and the service.
/// </summary>
public static class FeastGrpc
{
    // Kestrel binds configured endpoints in name order and lists their addresses so: the HTTP ones (Http0, Http1, …) first,
    // for a host that calls itself at its first address (the standalone host's first-run sample).
    private const string Endpoint = "HttpGrpc";

    public static TBuilder AddFeastGrpc<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (Port(builder.Configuration) is not { } port) return builder;
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<RefusalInterceptor>());
        builder.Services.AddSingleton<GrpcListener>();
        // Listeners named in configuration replace the URLs (--urls, ASPNETCORE_URLS): the URLs move there too, each as its
        // own endpoint (Kestrel still says at start that it overrides the URLs: it binds the same addresses).
        var urls = (builder.Configuration["urls"] is { Length: > 0 } given ? given : "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < urls.Length; i++) builder.Configuration[$"Kestrel:Endpoints:Http{i}:Url"] = urls[i];
        var host = BindingAddress.Parse(urls[0]).Host;
        builder.Configuration[$"Kestrel:Endpoints:{Endpoint}:Url"] = $"http://{host}:{port}";
        builder.Configuration[$"Kestrel:Endpoints:{Endpoint}:Protocols"] = nameof(HttpProtocols.Http2);
        return builder;
    }

    /// <summary>Maps the service when a gRPC port is configured. Not bound to that port's Host header: behind a proxy (Aspire's)
    /// callers name the proxy's port; on an HTTP/1.1 listener a gRPC call cannot be made anyway.</summary>
    public static WebApplication MapFeastGrpc(this WebApplication app)
    {
        if (app.Services.GetService<GrpcListener>() is not null) app.MapGrpcService<FeastServingService>().RequireAuthorization();
        return app;
    }

    /// <summary>Registered when the listener is: mapping follows what was registered, not a second reading of the options.</summary>
    private sealed class GrpcListener;

    private static int? Port(IConfiguration configuration)
    {
        var port = configuration.GetSection(GrpcOptions.Section).Get<GrpcOptions>()?.Port;
        return port > 0 ? port : null;
    }
}
