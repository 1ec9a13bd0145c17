using System.ComponentModel;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public sealed class ApplySettings : StoreSettings
{
    [CommandArgument(0, "[FILE]")]
    [Description("The feature repository (YAML or JSON); else the configuration's repository, else feature_repo.yaml")]
    public string? File { get; init; }

    [CommandOption("--prune")]
    [Description("Also delete objects the file no longer holds")]
    public bool Prune { get; init; }
}

/// <summary>Reads the feature repository and applies it, or only plans it; the changes as a table.</summary>
public abstract class RepositoryCommand(bool dryRun) : StoreCommand<ApplySettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, ApplySettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var document = await RepositoryFile.ReadAsync(config, settings.File, cancellationToken);
        var result = dryRun
            ? await client.PlanAsync(document, settings.Prune, cancellationToken)
            : await client.ApplyAsync(document, settings.Prune, cancellationToken);
        Changes.Print(printer, result);
        return ExitCodes.Ok;
    }
}

/// <summary><c>featurestore apply [FILE]</c>: every object created, updated or left.</summary>
public sealed class ApplyCommand() : RepositoryCommand(dryRun: false);

/// <summary><c>featurestore plan [FILE]</c>: what apply would change, changing nothing.</summary>
public sealed class PlanCommand() : RepositoryCommand(dryRun: true);

internal static class RepositoryFile
{
    public static async Task<string> ReadAsync(CliConfig config, string? file, CancellationToken cancellationToken)
    {
        var path = file ?? config.Resolve(config.Repository ?? "feature_repo.yaml");
        if (!File.Exists(path)) throw new UsageException($"'{path}' does not exist: name the feature repository file");
        return await File.ReadAllTextAsync(path, cancellationToken);
    }
}

internal static class Changes
{
    public static void Print(Printer printer, ApplyResultDto result) => printer.Result(result, console =>
    {
        var table = Printer.Table("kind", "name", "action", "version");
        foreach (var change in result.Changes)
            table.AddRow(Markup.Escape(change.Kind), Markup.Escape(change.Name), Markup.Escape(change.Action),
                change.ToVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        console.Write(table);
        console.MarkupLine(result.DryRun
            ? $"[yellow]plan[/] of project [bold]{Markup.Escape(result.Project)}[/]: nothing was changed"
            : $"applied project [bold]{Markup.Escape(result.Project)}[/], revision {result.Revision}");
    });
}
