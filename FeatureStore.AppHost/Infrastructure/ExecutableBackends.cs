using System.Security.Cryptography;
using System.Text;

namespace FeatureStore.AppHost.Infrastructure;

/// <summary>
/// The backing servers as local executables, for machines with no container runtime: the same resource names and
/// connection strings as the containers, a health check each, their data under one folder per AppHost
/// (<c>Infrastructure:DataDirectory</c>; by default in the temporary folder, which the postgres user can reach), and all
/// of them stopped with the AppHost.
/// </summary>
public static class ExecutableBackends
{
    public const string DataDirectoryKey = "Infrastructure:DataDirectory";

    public static BackingResources Add(IDistributedApplicationBuilder builder)
    {
        var data = DataDirectory(builder);
        var redis = builder.AddRedisServer("redis", data);
        var registryDb = builder.AddPostgresServer("postgres", data).AddDatabase("registry-db", databaseName: "registry");
        var messaging = builder.AddRabbitMqServer("messaging", data);
        var minio = builder.AddS3Server("minio", data);
        return new BackingResources(new Backing(redis), new Backing(registryDb), new Backing(messaging), new Backing(minio));
    }

    private static string DataDirectory(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[DataDirectoryKey];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.AppHostDirectory)))[..8];
        var directory = Directory.CreateDirectory(configured is { Length: > 0 } ? configured
            : Path.Combine(Path.GetTempPath(), $"featurestore-apphost-{hash}"));
        // The postgres user needs to traverse it.
        if (HostTools.IsRoot && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory.FullName, directory.UnixFileMode | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        return directory.FullName;
    }
}
