using System.ComponentModel;
using System.Globalization;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

/// <summary><c>featurestore datasets list</c>: the saved training sets the caller may read.</summary>
public sealed class DatasetsListCommand : StoreCommand<StoreSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, StoreSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var datasets = await client.ListDatasetsAsync(cancellationToken: cancellationToken);
        printer.Result(datasets, console =>
        {
            var table = Printer.Table("name", "rows", "features", "feature service", "created");
            foreach (var dataset in datasets)
                table.AddRow(Markup.Escape(dataset.Name), dataset.Rows.ToString("N0", CultureInfo.InvariantCulture),
                    dataset.Features.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(Service(dataset)),
                    dataset.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            console.Write(table);
        });
        return ExitCodes.Ok;
    }

    public static string Service(SavedDatasetDto dataset) =>
        dataset.FeatureService is { } name ? $"{name} v{dataset.FeatureServiceVersion}" : "";
}

public class DatasetSettings : StoreSettings
{
    [CommandArgument(0, "<NAME>")]
    public string Name { get; init; } = "";
}

/// <summary><c>featurestore datasets show NAME</c>: how a dataset was made.</summary>
public sealed class DatasetsShowCommand : StoreCommand<DatasetSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, DatasetSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var dataset = await client.GetDatasetAsync(settings.Name, cancellationToken: cancellationToken);
        printer.Result(dataset, console =>
        {
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string name, string value) => grid.AddRow($"[grey]{name}[/]", Markup.Escape(value));
            Row("dataset", dataset.Name);
            Row("rows", dataset.Rows.ToString("N0", CultureInfo.InvariantCulture));
            Row("created", dataset.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            Row("feature service", DatasetsListCommand.Service(dataset));
            Row("timestamp field", dataset.TimestampField);
            Row("entity rows sha256", dataset.EntityDataframeSha256);
            Row("features", string.Join("\n", dataset.Features));
            console.Write(grid);
        });
        return ExitCodes.Ok;
    }
}

public sealed class DatasetDownloadSettings : DatasetSettings
{
    [CommandOption("--out <FILE>")]
    [Description("The Parquet file to write")]
    public string Out { get; init; } = "";

    public override ValidationResult Validate() => Out.Length == 0 ? ValidationResult.Error("--out is required") : base.Validate();
}

/// <summary><c>featurestore datasets download NAME --out FILE.parquet</c>: a dataset's rows.</summary>
public sealed class DatasetsDownloadCommand : StoreCommand<DatasetDownloadSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, DatasetDownloadSettings settings,
        Printer printer, CancellationToken cancellationToken)
    {
        await client.DownloadDatasetAsync(settings.Name, settings.Out, cancellationToken: cancellationToken);
        printer.Written(settings.Out);
        return ExitCodes.Ok;
    }
}
