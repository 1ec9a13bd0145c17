using System.ComponentModel;
using System.Globalization;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public sealed class CompactSettings : StoreSettings
{
    [CommandArgument(0, "<VIEW>")]
    [Description("The views whose offline histories to compact")]
    public string[] Views { get; init; } = [];

    [CommandOption("--no-wait")]
    [Description("Start the compactions and print them, without following them")]
    public bool NoWait { get; init; }
}

/// <summary>
/// <c>featurestore compact VIEW… [--no-wait]</c>: compacts each view's offline history (its small files rewritten as fewer, time
/// travel kept) and follows each compaction to its end; exit 3 when any failed. A view with nothing to compact is refused (exit 1).
/// </summary>
public sealed class CompactCommand : StoreCommand<CompactSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, CompactSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var compactions = new List<OfflineCompactionDto>();
        foreach (var view in settings.Views) compactions.Add(await client.CompactAsync(view, cancellationToken: cancellationToken));
        if (!settings.NoWait)
            for (var i = 0; i < compactions.Count; i++)
                compactions[i] = await client.WaitForCompactionAsync(compactions[i].View, compactions[i].Id,
                    cancellationToken: cancellationToken);
        printer.Result(compactions, console =>
        {
            var table = Printer.Table("id", "view", "status", "files", "rows", "commit");
            foreach (var c in compactions)
                table.AddRow(c.Id.ToString(), Markup.Escape($"{c.View} (history v{c.History})"),
                    c.Status switch
                    {
                        "succeeded" => "[green]succeeded[/]",
                        "failed" => $"[red]failed[/]: {Markup.Escape(c.Error ?? "")}",
                        _ => c.Status
                    },
                    c.FilesOut is { } written ? $"{c.FilesIn} → {written}" : $"{c.FilesIn}",
                    c.RowsIn.ToString("N0", CultureInfo.InvariantCulture), c.CommitSequence?.ToString(CultureInfo.InvariantCulture) ?? "");
            console.Write(table);
        });
        return compactions.Any(c => c.Status == "failed") ? ExitCodes.JobFailed : ExitCodes.Ok;
    }
}
