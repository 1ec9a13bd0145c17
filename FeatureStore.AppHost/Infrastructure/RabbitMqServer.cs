using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace FeatureStore.AppHost.Infrastructure;

/// <summary>
/// <c>rabbitmq-server</c> as a local process (node, ports, data, logs and cookie of its own, so it never meets another
/// broker on this machine), with its Erlang port mapper as a process beside it rather than a daemon left behind.
/// </summary>
public sealed class RabbitMqServer(string name, string command, string directory, ParameterResource password)
    : PasswordProtectedServer(name, command, directory, password)
{
    public const string User = "featurestore";

    public override ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{User}:{Password}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}

public static class RabbitMqServerExtensions
{
    public static IResourceBuilder<RabbitMqServer> AddRabbitMqServer(this IDistributedApplicationBuilder builder,
        string name, string dataDirectory)
    {
        var command = HostTools.Require("/usr/lib/rabbitmq/bin/rabbitmq-server", "rabbitmq-server");
        var epmdCommand = HostTools.Require(HostTools.OnPath("epmd"), "epmd (Erlang)");
        var password = PasswordProtectedServer.AddPassword(builder, name);
        var directory = Directory.CreateDirectory(Path.Combine(dataDirectory, name)).FullName;
        var ports = HostTools.FreePorts(2);
        var (epmdPort, distributionPort) = (ports[0], ports[1]);
        var server = new RabbitMqServer(name, command, directory, password.Resource);

        var epmd = builder.AddExecutable($"{name}-epmd", epmdCommand, directory, "-port", $"{epmdPort}", "-address", "127.0.0.1")
            .WithParentRelationship(server);
        // The broker's configuration, its user's password included, is a file of the run, never a command-line argument.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, ct) =>
        {
            Directory.CreateDirectory(Path.Combine(directory, "log"));
            await File.WriteAllLinesAsync(Path.Combine(directory, "rabbitmq.conf"),
            [
                $"default_user = {RabbitMqServer.User}", $"default_pass = {await password.Resource.GetValueAsync(ct)}",
                "disk_free_limit.absolute = 50MB", "loopback_users = none",
            ], ct);
            await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n", ct);
            var cookie = Path.Combine(directory, ".erlang.cookie");
            if (!File.Exists(cookie))
            {
                await File.WriteAllTextAsync(cookie,
                    Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), ct);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            }
        });
        var connectionString = ConnectionStrings.Track(builder, server);
        var check = $"{name}_check";
        IConnection? probe = null;
        builder.Services.AddHealthChecks().AddRabbitMQ(async _ =>
            probe ??= await new ConnectionFactory { Uri = new Uri(connectionString()) }
                .CreateConnectionAsync(), name: check);
        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .WithEnvironment(context =>
            {
                var variables = context.EnvironmentVariables;
                variables["HOME"] = directory; // where Erlang looks for the cookie
                variables["RABBITMQ_NODENAME"] = "featurestore@localhost";
                variables["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                variables["RABBITMQ_NODE_PORT"] = server.PrimaryEndpoint.Property(EndpointProperty.TargetPort);
                variables["RABBITMQ_DIST_PORT"] = $"{distributionPort}";
                variables["ERL_EPMD_PORT"] = $"{epmdPort}";
                variables["ERL_EPMD_ADDRESS"] = "127.0.0.1";
                variables["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia");
                variables["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log");
                variables["RABBITMQ_PID_FILE"] = Path.Combine(directory, "beam.pid");
                variables["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf");
                variables["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins");
                variables["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf");
                variables["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
            })
            .WaitFor(epmd)
            .WithHealthCheck(check);
    }
}
