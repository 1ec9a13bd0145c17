using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FeatureStore.AppHost.Infrastructure;

/// <summary><c>postgres</c> as a local process (run as user <c>postgres</c> when the AppHost runs as root), its cluster made once by
/// <c>initdb</c>.</summary>
public sealed class PostgresServer(string name, string command, string directory, ParameterResource password)
    : PasswordProtectedServer(name, command, directory, password)
{
    public const string User = "postgres";

    public override ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};" +
            $"Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={User};Password={Password}");
}

/// <summary>A database of a <see cref="PostgresServer"/>: created once the server is healthy, healthy once it answers.</summary>
public sealed class PostgresDatabase(string name, string databaseName, PostgresServer parent)
    : Resource(name), IResourceWithParent<PostgresServer>, IResourceWithConnectionString
{
    public PostgresServer Parent => parent;

    public string DatabaseName => databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static class PostgresServerExtensions
{
    public static IResourceBuilder<PostgresServer> AddPostgresServer(this IDistributedApplicationBuilder builder,
        string name, string dataDirectory)
    {
        var bin = HostTools.PostgresBin()
            ?? throw new DistributedApplicationException("PostgreSQL is not installed here; eng/run.sh installs it");
        var password = PasswordProtectedServer.AddPassword(builder, name);
        var directory = Path.Combine(dataDirectory, name);
        var (data, sockets) = (Path.Combine(directory, "data"), Path.Combine(directory, "sockets"));
        var (command, prefix) = HostTools.AsUser(Path.Combine(bin, "postgres"), [], PostgresServer.User);
        var server = new PostgresServer(name, command, dataDirectory, password.Resource);

        // initdb once: the cluster (and its superuser password) lives on across AppHost runs in the data directory.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, ct) =>
        {
            Directory.CreateDirectory(sockets);
            if (!File.Exists(Path.Combine(data, "PG_VERSION")))
            {
                Directory.CreateDirectory(data);
                var passwordFile = Path.Combine(directory, "initdb.pw");
                await File.WriteAllTextAsync(passwordFile, await password.Resource.GetValueAsync(ct), ct);
                try
                {
                    await HostTools.OwnAsync(directory, PostgresServer.User, ct);
                    await HostTools.RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", PostgresServer.User, "--auth=scram-sha-256",
                        $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8"], PostgresServer.User, ct);
                }
                finally { File.Delete(passwordFile); }
            }
            await HostTools.OwnAsync(directory, PostgresServer.User, ct);
        });
        var connectionString = ConnectionStrings.Track(builder, server);
        var check = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString(), name: check);
        return builder.AddResource(server)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .WithArgs(context =>
            {
                foreach (var arg in prefix) context.Args.Add(arg);
                foreach (var arg in new[] { "-D", data, "-k", sockets, "-c", "listen_addresses=localhost",
                    "-c", "max_connections=200", "-p" }) context.Args.Add(arg);
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(check);
    }

    /// <summary>A database on the server, created (if missing) as soon as the server is healthy.</summary>
    public static IResourceBuilder<PostgresDatabase> AddDatabase(this IResourceBuilder<PostgresServer> server,
        string name, string databaseName)
    {
        var database = new PostgresDatabase(name, databaseName, server.Resource);
        var builder = server.ApplicationBuilder;
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (_, ct) =>
        {
            await using var connection = new NpgsqlConnection(await server.Resource.ConnectionStringExpression.GetValueAsync(ct));
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection)
            { Parameters = { new("name", databaseName) } };
            if (await exists.ExecuteScalarAsync(ct) is null)
                await new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"")}\"", connection).ExecuteNonQueryAsync(ct);
        });
        var connectionString = ConnectionStrings.Track(builder, database);
        // Aspire passes a parent's state on to its children only for containers: the database follows its server here.
        builder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, ct) =>
        {
            _ = Task.Run(async () =>
            {
                await foreach (var update in @event.Notifications.WatchAsync(ct))
                    if (update.Resource == server.Resource)
                        await @event.Notifications.PublishUpdateAsync(database, s => s with
                        {
                            State = update.Snapshot.State,
                            StartTimeStamp = update.Snapshot.StartTimeStamp,
                            StopTimeStamp = update.Snapshot.StopTimeStamp,
                        });
            }, ct);
            return Task.CompletedTask;
        });
        var check = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => connectionString(), name: check);
        return builder.AddResource(database).WithHealthCheck(check);
    }
}
