using System.ComponentModel;
using System.Globalization;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

/// <summary><c>featurestore models list</c>: versions, their AUC, which is promoted.</summary>
public sealed class ModelsListCommand : StoreCommand<StoreSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, StoreSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var models = await client.ListChurnModelsAsync(cancellationToken);
        printer.Result(models, console =>
        {
            var table = Printer.Table("version", "algorithm", "auc", "dataset", "promoted");
            foreach (var version in models.Versions)
                table.AddRow(version.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(version.Algorithm),
                    version.Metrics.Auc.ToString("F3", CultureInfo.InvariantCulture), Markup.Escape(version.Dataset),
                    version.Promoted ? "[green]yes[/]" : "");
            console.Write(table);
        });
        return ExitCodes.Ok;
    }
}

public sealed class TrainSettings : StoreSettings
{
    [CommandOption("--promote")]
    [Description("Promote the version when it is trained")]
    public bool Promote { get; init; }

    [CommandOption("--seed <N>")]
    public int? Seed { get; init; }
}

/// <summary><c>featurestore models train [--promote]</c>: trains a version and waits; exit 3 when training failed.</summary>
public sealed class ModelsTrainCommand : StoreCommand<TrainSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, TrainSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        TrainingJobDto job = null!;
        var request = new TrainModelRequestDto { Promote = settings.Promote, Seed = settings.Seed };
        if (printer.Json) job = await client.TrainChurnModelAsync(request, cancellationToken);
        else
            await Printer.Out.Status().StartAsync("training the churn model…",
                async _ => job = await client.TrainChurnModelAsync(request, cancellationToken));
        printer.Result(job, console => console.MarkupLine(job.Status == "succeeded"
            ? $"trained version [bold]{job.Version}[/]{(settings.Promote ? " and promoted it" : "")}"
            : $"[red]training failed[/]: {Markup.Escape(job.Error ?? "")}"));
        return job.Status == "succeeded" ? ExitCodes.Ok : ExitCodes.JobFailed;
    }
}

public sealed class PromoteSettings : StoreSettings
{
    [CommandArgument(0, "<VERSION>")]
    public int Version { get; init; }
}

public sealed class ModelsPromoteCommand : StoreCommand<PromoteSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, PromoteSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var version = await client.PromoteChurnModelAsync(settings.Version, cancellationToken);
        printer.Result(version, console => console.MarkupLine($"version [bold]{version.Version}[/] is promoted"));
        return ExitCodes.Ok;
    }
}

public sealed class PredictSettings : StoreSettings
{
    [CommandArgument(0, "<CUSTOMER>")]
    [Description("Customer ids")]
    public string[] Customers { get; init; } = [];
}

/// <summary><c>featurestore models predict 1 2 3</c>: the promoted model's churn probability per customer.</summary>
public sealed class ModelsPredictCommand : StoreCommand<PredictSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, PredictSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var predictions = new List<PredictionDto>();
        foreach (var customer in settings.Customers)
            predictions.Add(await client.PredictChurnAsync(Value(customer)!, cancellationToken));
        printer.Result(predictions, console =>
        {
            var table = Printer.Table("customer", "probability", "churn", "version", "missing");
            foreach (var (prediction, customer) in predictions.Zip(settings.Customers))
                table.AddRow(Markup.Escape(customer), prediction.Probability.ToString("F3", CultureInfo.InvariantCulture),
                    prediction.Churn ? "[red]yes[/]" : "no", prediction.ModelVersion.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", prediction.Missing)));
            console.Write(table);
        });
        return ExitCodes.Ok;
    }
}
