using Microsoft.Extensions.DependencyInjection;
namespace FeatureStore.AppHost.Infrastructure;

/// <summary><c>redis-server</c> as a local process, password-protected, persisting every write to its append-only file (fsync once
/// a second): a restart keeps the online store; a lost one is noticed by feature-api and refilled by
/// <c>POST /api/v1/materializations/restore-online</c>.</summary>
public sealed class RedisServer(string name, string command, string directory, ParameterResource password)
    : PasswordProtectedServer(name, command, directory, password)
{
    /// <summary>The format Aspire's Redis resource hands out, which StackExchange.Redis reads.</summary>
    public override ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}");
}

public static class RedisServerExtensions
{
    public static IResourceBuilder<RedisServer> AddRedisServer(this IDistributedApplicationBuilder builder,
        string name, string dataDirectory)
    {
        var command = HostTools.Require(HostTools.OnPath("redis-server"), "redis-server");
        var password = PasswordProtectedServer.AddPassword(builder, name);
        var directory = Directory.CreateDirectory(Path.Combine(dataDirectory, name)).FullName;
        var server = new RedisServer(name, command, directory, password.Resource);
        var config = Path.Combine(directory, "redis.conf");
        var connectionString = ConnectionStrings.Track(builder, server);
        // The password goes into a file of its own, not onto the command line the dashboard and `ps` show.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, ct) =>
            await File.WriteAllTextAsync(config, $"requirepass {await password.Resource.GetValueAsync(ct)}\n", ct));
        var check = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString(), name: check);
        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add(config);
                context.Args.Add("--port");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                foreach (var arg in new[] { "--bind", "127.0.0.1", "-::1", "--save", "",
                    "--appendonly", "yes", "--appendfsync", "everysec", "--dir", directory }) context.Args.Add(arg);
            })
            .WithHealthCheck(check);
    }
}
