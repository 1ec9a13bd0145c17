using System.ComponentModel;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public class MaterializeIncrementalSettings : StoreSettings
{
    [CommandArgument(0, "<VIEW>")]
    [Description("The views")]
    public string[] Views { get; init; } = [];

    [CommandOption("--end <TIME>")]
    [Description("The window's end (ISO 8601); now when absent")]
    public DateTimeOffset? End { get; init; }

    [CommandOption("--no-wait")]
    [Description("Start the jobs and print them, without following them")]
    public bool NoWait { get; init; }
}

public sealed class MaterializeSettings : MaterializeIncrementalSettings
{
    [CommandOption("--start <TIME>")]
    [Description("The window's start (ISO 8601)")]
    public DateTimeOffset? Start { get; init; }

    [CommandOption("--partitions <N>")]
    [Description("Split each job into N partitions that workers take in parallel")]
    public int? Partitions { get; init; }

    public override ValidationResult Validate() =>
        Start is null ? ValidationResult.Error("--start is required")
        : End is { } end && end <= Start ? ValidationResult.Error("--end must be after --start")
        : base.Validate();
}

/// <summary><c>featurestore materialize VIEW… --start --end</c>: a job per view, followed with a progress bar to its end.</summary>
public sealed class MaterializeCommand : StoreCommand<MaterializeSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, MaterializeSettings settings,
        Printer printer, CancellationToken cancellationToken)
    {
        var end = settings.End ?? DateTimeOffset.UtcNow;
        return await JobFollower.StartAndFollowAsync(client, printer, settings, view => client.MaterializeAsync(view,
            settings.Start!.Value, end, partitions: settings.Partitions, cancellationToken: cancellationToken), cancellationToken);
    }
}

/// <summary><c>featurestore materialize-incremental VIEW… [--end]</c>: from where each view's last run ended.</summary>
public sealed class MaterializeIncrementalCommand : StoreCommand<MaterializeIncrementalSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, MaterializeIncrementalSettings settings,
        Printer printer, CancellationToken cancellationToken)
    {
        var end = settings.End ?? DateTimeOffset.UtcNow;
        return await JobFollower.StartAndFollowAsync(client, printer, settings,
            view => client.MaterializeIncrementalAsync(view, end, cancellationToken: cancellationToken), cancellationToken);
    }
}

internal static class JobFollower
{
    /// <summary>Starts a job per view, one after another, then follows every job to its end (a bar each for people); exit 3 when
    /// any failed or was cancelled.</summary>
    public static async Task<int> StartAndFollowAsync(FeatureStoreClient client, Printer printer, MaterializeIncrementalSettings settings,
        Func<string, Task<MaterializationAcceptedDto>> start, CancellationToken cancellationToken)
    {
        var views = settings.Views;
        var jobs = new List<MaterializationAcceptedDto>();
        foreach (var view in views) jobs.Add(await start(view));
        if (settings.NoWait)
        {
            printer.Result(jobs, console => console.Write(JobsTable(views, jobs.Select(j => (j.JobId, j.Status, (string?)null)))));
            return ExitCodes.Ok;
        }
        var finals = new MaterializationJobDto[jobs.Count];
        if (printer.Json)
            for (var i = 0; i < jobs.Count; i++) finals[i] = await client.WaitForJobAsync(jobs[i].JobId, null, cancellationToken);
        else
            await Printer.Out.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new SpinnerColumn()).StartAsync(async progress =>
            {
                var waits = jobs.Select(async (job, i) =>
                {
                    var task = progress.AddTask(Markup.Escape(views[i]), maxValue: 1);
                    finals[i] = await client.WaitForJobAsync(job.JobId, new Progress<JobProgress>(p =>
                    {
                        if (p.Fraction is { } fraction) task.Value = fraction;
                        task.Description = $"{Markup.Escape(views[i])} [grey]{p.Status.ToString().ToLowerInvariant()}[/]";
                    }), cancellationToken);
                    task.Value = 1;
                    task.StopTask();
                });
                await Task.WhenAll(waits);
            });
        printer.Result(finals, console => console.Write(JobsTable(views,
            finals.Select(j => (j.Id, j.Status.ToString().ToLowerInvariant(), j.Error)))));
        return finals.All(j => j.Status == JobStatus.Succeeded) ? ExitCodes.Ok : ExitCodes.JobFailed;
    }

    private static Table JobsTable(IReadOnlyList<string> views, IEnumerable<(Guid Id, string Status, string? Error)> jobs)
    {
        var table = Printer.Table("view", "job", "status", "error");
        foreach (var ((id, status, error), view) in jobs.Zip(views))
            table.AddRow(Markup.Escape(view), id.ToString(), Markup.Escape(status), Markup.Escape(error ?? ""));
        return table;
    }
}
