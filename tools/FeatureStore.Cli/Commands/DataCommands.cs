using System.ComponentModel;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public sealed class JobSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    public Guid Id { get; init; }
}

/// <summary><c>featurestore job ID</c>: a materialization job's state and counts.</summary>
public sealed class JobCommand : StoreCommand<JobSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, JobSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var job = await client.GetJobAsync(settings.Id, cancellationToken);
        printer.Result(job, console =>
        {
            var table = Printer.Table("field", "value");
            foreach (var (name, value) in new (string, object?)[]
                     {
                         ("view", $"{job.View} v{job.Version}"), ("status", job.Status.ToString().ToLowerInvariant()),
                         ("window", $"{job.WindowStart:O} – {job.WindowEnd:O}"), ("rows read", job.RowsRead),
                         ("rows written", job.RowsWritten), ("online keys", job.OnlineKeysWritten), ("error", job.Error),
                     })
                table.AddRow(Markup.Escape(name),
                    Markup.Escape(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            console.Write(table);
        });
        return ExitCodes.Ok;
    }
}

public sealed class UploadSettings : StoreSettings
{
    [CommandArgument(0, "<SOURCE>")]
    [Description("The batch source")]
    public string Source { get; init; } = "";

    [CommandArgument(1, "<FILE>")]
    [Description("A CSV file with a header row, or a Parquet file")]
    public string File { get; init; } = "";
}

/// <summary><c>featurestore upload SOURCE FILE</c>: the file becomes the source's data, once checked against its schema.</summary>
public sealed class UploadCommand : StoreCommand<UploadSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, UploadSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(settings.File)) throw new UsageException($"'{settings.File}' does not exist");
        var stored = await client.UploadSourceFileAsync(settings.Source, settings.File, cancellationToken: cancellationToken);
        printer.Result(stored, console => console.MarkupLine(
            $"uploaded [bold]{stored.Rows:N0}[/] rows to [bold]{Markup.Escape(stored.Source)}[/] ({Markup.Escape(stored.Path)})"));
        return ExitCodes.Ok;
    }
}
