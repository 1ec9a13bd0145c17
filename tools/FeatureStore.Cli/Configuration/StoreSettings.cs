using System.ComponentModel;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Configuration;

/// <summary>Options every command that talks to the services takes; each overrides <c>featurestore.yaml</c> and the environment.
/// </summary>
public class StoreSettings : CommandSettings
{
    [CommandOption("--endpoint <URL>")]
    [Description("The services' address (the standalone host, or a gateway); else FEATURESTORE_ENDPOINT, else featurestore.yaml")]
    public string? Endpoint { get; init; }

    [CommandOption("-p|--project <NAME>")]
    [Description("The project; else FEATURESTORE_PROJECT, else featurestore.yaml")]
    public string? Project { get; init; }

    [CommandOption("--api-key <KEY>")]
    [Description("An API key; prefer FEATURESTORE_API_KEY (a flag is visible in the process list)")]
    public string? ApiKey { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The configuration file; else featurestore.yaml in this directory or the nearest parent")]
    public string? Config { get; init; }

    [CommandOption("-o|--output <FORMAT>")]
    [Description("table (for people, the default) or json (for scripts)")]
    [DefaultValue("table")]
    public string Output { get; init; } = "table";

    public bool Json => string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase);

    public override Spectre.Console.ValidationResult Validate() =>
        Output.ToLowerInvariant() is "table" or "json"
            ? Spectre.Console.ValidationResult.Success()
            : Spectre.Console.ValidationResult.Error($"--output must be table or json, not '{Output}'");
}
