using System.ComponentModel;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public class FeatureChoiceSettings : StoreSettings
{
    [CommandOption("-f|--features <REFS>")]
    [Description("Feature references, comma-separated (view:feature)")]
    public string? Features { get; init; }

    [CommandOption("-s|--service <NAME>")]
    [Description("A feature service instead of references")]
    public string? Service { get; init; }

    public IReadOnlyList<string>? FeatureList =>
        Features?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override ValidationResult Validate() =>
        (Features is null) == (Service is null) ? ValidationResult.Error("give either --features or --service") : base.Validate();
}

public sealed class OnlineSettings : FeatureChoiceSettings
{
    [CommandOption("-e|--entity <COLUMN=VALUES>")]
    [Description("An entity column and its values, comma-separated (customer_id=1,2,3); repeat for more columns")]
    public string[] Entities { get; init; } = [];

    [CommandOption("--entities <FILE>")]
    [Description("Entity rows from a file instead: CSV with a header row (no quoted commas), or JSON (an array of objects)")]
    public string? EntitiesFile { get; init; }

    public override ValidationResult Validate() =>
        (Entities.Length == 0) == (EntitiesFile is null) ? ValidationResult.Error("give --entity column=values or --entities FILE")
        : Entities.FirstOrDefault(e => !e.Contains('=')) is { } bad ? ValidationResult.Error($"--entity '{bad}' is not column=values")
        : base.Validate();
}

/// <summary><c>featurestore online -e customer_id=1,2 -s SERVICE</c>: the latest values, a row per entity.</summary>
public sealed class OnlineCommand : StoreCommand<OnlineSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, OnlineSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var columns = settings.EntitiesFile is { } file ? EntityFile.Read(file)
            : settings.Entities.Select(e => e.Split('=', 2)).ToDictionary(p => p[0].Trim(),
                p => (IReadOnlyList<object?>)p[1].Split(',', StringSplitOptions.TrimEntries).Select(Value).ToList());
        var answer = await client.GetOnlineFeaturesAsync(columns, settings.FeatureList, settings.Service,
            cancellationToken: cancellationToken);
        printer.Result(answer.Rows, console =>
        {
            var table = Printer.Table([.. columns.Keys, .. answer.FeatureNames]);
            for (var row = 0; row < answer.Count; row++)
            {
                var cells = columns.Keys.Select(k => Markup.Escape(answer.Rows[row].Entity[k].ToString()))
                    .Concat(answer.FeatureNames.Select(f => Cell(answer, row, f)));
                table.AddRow(cells.ToArray());
            }
            console.Write(table);
        });
        return ExitCodes.Ok;
    }

    private static string Cell(OnlineFeatures answer, int row, string feature)
    {
        var value = answer.ToDictionary(row)[feature];
        var status = answer.Status(row, feature).ToString();
        return value is null ? $"[grey]{Markup.Escape(status)}[/]" : Markup.Escape(Convert.ToString(value,
            System.Globalization.CultureInfo.InvariantCulture) ?? "");
    }
}

public sealed class HistoricalSettings : FeatureChoiceSettings
{
    [CommandOption("--entities <FILE>")]
    [Description("The entity rows: CSV with a header row, or Parquet (join keys, event_timestamp, your own columns)")]
    public string EntitiesFile { get; init; } = "";

    [CommandOption("--out <FILE>")]
    [Description("Where the rows go: .csv, else Parquet")]
    public string Out { get; init; } = "";

    [CommandOption("--timestamp-field <NAME>")]
    public string? TimestampField { get; init; }

    [CommandOption("--save-as <NAME>")]
    [Description("Also keep the result as a named dataset")]
    public string? SaveAs { get; init; }

    public override ValidationResult Validate() =>
        EntitiesFile.Length == 0 ? ValidationResult.Error("--entities is required")
        : Out.Length == 0 ? ValidationResult.Error("--out is required") : base.Validate();
}

/// <summary><c>featurestore historical --entities rows.csv -s SERVICE --out training.parquet</c>.</summary>
public sealed class HistoricalCommand : StoreCommand<HistoricalSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, HistoricalSettings settings,
        Printer printer, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.EntitiesFile)) throw new UsageException($"--entities: '{settings.EntitiesFile}' does not exist");
        await client.WriteHistoricalFeaturesAsync(settings.EntitiesFile, settings.Out, settings.FeatureList, settings.Service,
            timestampField: settings.TimestampField, saveAs: settings.SaveAs, cancellationToken: cancellationToken);
        printer.Written(settings.Out);
        return ExitCodes.Ok;
    }
}
