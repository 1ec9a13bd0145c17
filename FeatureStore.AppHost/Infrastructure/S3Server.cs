namespace FeatureStore.AppHost.Infrastructure;

/// <summary>
/// An S3-compatible server as a local process: s3rver, installed from npm by eng/infra.sh (which also corrects its XML
/// namespace). It knows one account, <c>S3RVER</c>; its data stays in the AppHost's data directory.
/// </summary>
public sealed class S3Server(string name, string command, string directory)
    : LocalServer(name, command, directory, endpointName: "http")
{
    public const string Account = "S3RVER";

    /// <summary>The format the services read (<c>ConnectionStrings:minio</c>), as MinIO's is.</summary>
    public override ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Endpoint={PrimaryEndpoint.Property(EndpointProperty.Url)};AccessKey={Account};SecretKey={Account}");
}

public static class S3ServerExtensions
{
    public const string ScriptKey = "Infrastructure:S3rver";

    public static IResourceBuilder<S3Server> AddS3Server(this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var node = HostTools.Require(HostTools.OnPath("node"), "node (Node.js)");
        var script = HostTools.Require(builder.Configuration[ScriptKey]
                ?? Path.Combine(builder.AppHostDirectory, "..", ".tools", "s3", "node_modules", "s3rver", "bin", "s3rver.js"),
            "s3rver");
        var directory = Directory.CreateDirectory(Path.Combine(dataDirectory, name)).FullName;
        var server = new S3Server(name, node, directory);
        return builder.AddResource(server)
            .WithHttpEndpoint(name: "http")
            .WithArgs(context =>
            {
                foreach (var arg in new[] { Path.GetFullPath(script), "-d", directory, "-a", "127.0.0.1",
                    "--no-vhost-buckets", "--silent", "-p" }) context.Args.Add(arg);
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHttpHealthCheck("/", endpointName: "http");
    }
}
