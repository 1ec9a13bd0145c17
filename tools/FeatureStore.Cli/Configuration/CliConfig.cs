using FeatureStore.Client;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace FeatureStore.Cli.Configuration;

/// <summary>
/// <c>featurestore.yaml</c>, like Feast's <c>feature_store.yaml</c>: where the services answer, the project, and (better in the
/// environment) the key. Found in the working directory or the nearest parent; the environment (<c>FEATURESTORE_ENDPOINT</c>,
/// <c>FEATURESTORE_PROJECT</c>, <c>FEATURESTORE_API_KEY</c>) overrides it, and flags override both.
/// </summary>
public sealed class CliConfig
{
    public const string FileName = "featurestore.yaml";

    public string? Project { get; set; }
    public string? Endpoint { get; set; }
    public string? Registry { get; set; }
    public string? FeatureApi { get; set; }
    public string? ModelApi { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>The feature repository <c>plan</c> and <c>apply</c> read by default, relative to this file.</summary>
    public string? Repository { get; set; }

    /// <summary>The directory the configuration file is in (relative paths in it are from there).</summary>
    public string Directory { get; private set; } = Environment.CurrentDirectory;

    public static CliConfig Load(StoreSettings settings)
    {
        var path = settings.Config ?? Find(Environment.CurrentDirectory);
        var config = new CliConfig();
        if (path is not null)
        {
            if (!File.Exists(path)) throw new UsageException($"--config: '{path}' does not exist");
            try
            {
                config = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                    .Deserialize<CliConfig?>(File.ReadAllText(path)) ?? new CliConfig();
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new UsageException($"{path}: {e.Message}");
            }
            config.Directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        }
        config.Endpoint = settings.Endpoint ?? Environment.GetEnvironmentVariable("FEATURESTORE_ENDPOINT") ?? config.Endpoint;
        config.Project = settings.Project ?? Environment.GetEnvironmentVariable("FEATURESTORE_PROJECT") ?? config.Project;
        config.ApiKey = settings.ApiKey ?? Environment.GetEnvironmentVariable("FEATURESTORE_API_KEY") ?? config.ApiKey;
        return config;
    }

    public FeatureStoreClientOptions ClientOptions()
    {
        if (Endpoint is null && (Registry is null || FeatureApi is null || ModelApi is null))
            throw new UsageException($"no endpoint: pass --endpoint, set FEATURESTORE_ENDPOINT, or write {FileName} (featurestore init)");
        return new FeatureStoreClientOptions
        {
            Endpoint = Address(Endpoint, "endpoint"), Registry = Address(Registry, "registry"),
            FeatureApi = Address(FeatureApi, "featureApi"), ModelApi = Address(ModelApi, "modelApi"), ApiKey = ApiKey, Project = Project,
        };
    }

    /// <summary>A path given in the configuration, from its directory.</summary>
    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Directory, path);

    private static Uri? Address(string? text, string name) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : throw new UsageException($"{name}: '{text}' is not an http(s) address");

    private static string? Find(string directory)
    {
        for (var at = new DirectoryInfo(directory); at is not null; at = at.Parent)
            if (File.Exists(Path.Combine(at.FullName, FileName))) return Path.Combine(at.FullName, FileName);
        return null;
    }
}

/// <summary>The command line or its configuration is wrong: exit code 2, the message as one line.</summary>
public sealed class UsageException(string message) : Exception(message);
