using System.ComponentModel;
using System.Globalization;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public sealed class JobSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    public Guid Id { get; init; }

    [CommandOption("--cancel")]
    [Description("Cancel the job (its partitions stop, what they wrote is not shown)")]
    public bool Cancel { get; init; }
}

/// <summary><c>featurestore job ID [--cancel]</c>: a materialization job's state and counts.</summary>
public sealed class JobCommand : StoreCommand<JobSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, JobSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var job = settings.Cancel
            ? await client.CancelJobAsync(settings.Id, cancellationToken)
            : await client.GetJobAsync(settings.Id, cancellationToken);
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

public sealed class JobsSettings : StoreSettings
{
    [CommandArgument(0, "[VIEW]")]
    [Description("Feature views; none: every view of the project")]
    public string[] Views { get; init; } = [];

    [CommandOption("--limit <N>")]
    [Description("Jobs per view (default 10)")]
    public int Limit { get; init; } = 10;

    public override ValidationResult Validate() =>
        Limit is < 1 or > 1000 ? ValidationResult.Error("--limit must be between 1 and 1000") : base.Validate();
}

/// <summary><c>featurestore jobs [VIEW…]</c>: recent materializations, newest first.</summary>
public sealed class JobsCommand : StoreCommand<JobsSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, JobsSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var views = settings.Views.Length > 0 ? settings.Views
            : (await client.ListFeatureViewsAsync(cancellationToken: cancellationToken)).Select(v => v.Name).ToArray();
        var jobs = new List<MaterializationJobDto>();
        foreach (var view in views) jobs.AddRange(await client.ListJobsAsync(view, settings.Limit, cancellationToken: cancellationToken));
        jobs = jobs.OrderByDescending(j => j.CreatedAt).ToList();
        printer.Result(jobs, console =>
        {
            var table = Printer.Table("id", "view", "status", "window", "rows written", "created");
            foreach (var job in jobs)
                table.AddRow(job.Id.ToString(), Markup.Escape($"{job.View} v{job.Version}"), Status(job.Status),
                    $"{job.WindowStart:u} – {job.WindowEnd:u}", (job.RowsWritten ?? 0).ToString("N0", CultureInfo.InvariantCulture),
                    job.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            console.Write(table);
        });
        return ExitCodes.Ok;
    }

    private static string Status(JobStatus status) => status switch
    {
        JobStatus.Succeeded => "[green]succeeded[/]",
        JobStatus.Failed => "[red]failed[/]",
        JobStatus.Cancelled => "[grey]cancelled[/]",
        _ => status.ToString().ToLowerInvariant(),
    };
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
