using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FeatureStore.AppHost.Infrastructure;

/// <summary>How the four backing servers run: as containers, or as local executables where no container runtime answers.</summary>
public enum InfrastructureMode { Containers, Executables }

/// <summary>A backing resource as services use it: the connection string they reference, and what they wait for (healthy).</summary>
public sealed record Backing(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource> Server)
{
    public Backing(IResourceBuilder<IResourceWithConnectionString> resource) : this(resource, resource) { }
}

/// <summary>
/// The backing resources the services reference, under the names and connection strings docs/architecture.md fixes: <c>redis</c>,
/// the <c>registry</c> database, <c>messaging</c>, <c>minio</c> (S3). One application model, two ways to provide them.
/// </summary>
public sealed record BackingResources(Backing Redis, Backing RegistryDatabase, Backing Messaging, Backing ObjectStore)
{
    public const string ConfigurationKey = "Infrastructure:Mode";

    /// <summary>
    /// Containers or executables: as configured (<c>--infrastructure containers|executables</c>, or <see cref="ConfigurationKey"/>),
    /// else containers where a container runtime answers as Aspire itself asks it (<c>docker container ls -n 1</c>, or podman's),
    /// else executables. A published manifest always describes containers: it is what a deployment runs.
    /// </summary>
    public static InfrastructureMode Choose(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode) return InfrastructureMode.Containers;
        var configured = builder.Configuration["infrastructure"] ?? builder.Configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
            return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode)
                ? mode
                : throw new DistributedApplicationException($"infrastructure must be 'containers' or 'executables', not '{configured}'");
        return ContainerRuntimeAnswers("docker") || ContainerRuntimeAnswers("podman")
            ? InfrastructureMode.Containers : InfrastructureMode.Executables;
    }

    public static BackingResources Add(IDistributedApplicationBuilder builder)
    {
        var mode = Choose(builder);
        var forced = builder.Configuration["infrastructure"] ?? builder.Configuration[ConfigurationKey];
        var why = builder.ExecutionContext.IsPublishMode ? "a manifest describes containers"
            : forced is not null ? $"forced: {forced}"
            : mode == InfrastructureMode.Containers ? "a container runtime answers" : "no container runtime answers";
        using (var factory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true)))
            factory.CreateLogger("FeatureStore.AppHost").LogInformation("Backing servers run as {Mode} ({Why})",
                mode.ToString().ToLowerInvariant(), why);
        return mode == InfrastructureMode.Containers ? ContainerBackends.Add(builder) : ExecutableBackends.Add(builder);
    }

    private static bool ContainerRuntimeAnswers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["container", "ls", "-n", "1"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return false;
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}

public static class BackingExtensions
{
    /// <summary>The service gets the resource's connection string as <c>ConnectionStrings:{connectionName}</c> and starts once it is
    /// healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithBacking(this IResourceBuilder<ProjectResource> project,
        Backing backing, string connectionName) =>
        project.WithReference(backing.Connection, connectionName).WaitFor(backing.Server);
}
