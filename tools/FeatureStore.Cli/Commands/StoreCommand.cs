using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

/// <summary>A command that talks to the services: configuration loaded, a client made, the outcome an exit code.</summary>
public abstract class StoreCommand<TSettings> : AsyncCommand<TSettings> where TSettings : StoreSettings
{
    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var config = CliConfig.Load(settings);
        using var client = new FeatureStoreClient(config.ClientOptions());
        return await RunAsync(client, config, settings, new Printer(settings.Json), cancellationToken);
    }

    protected abstract Task<int> RunAsync(FeatureStoreClient client, CliConfig config, TSettings settings, Printer printer,
        CancellationToken cancellationToken);

    /// <summary>A command-line value as JSON would carry it (<see cref="EntityFile.Value"/>).</summary>
    protected static object? Value(string text) => EntityFile.Value(text);
}
