using FeatureStore.Cli.Commands;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using Spectre.Console.Cli;

namespace FeatureStore.Cli;

/// <summary>The commands, and how every failure becomes one line and an exit code (<see cref="ExitCodes"/>).</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("featurestore");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<InitCommand>("init").WithDescription("Make a feature repository here: configuration, YAML, sample data");
            config.AddCommand<PlanCommand>("plan").WithDescription("Show what apply would change, changing nothing");
            config.AddCommand<ApplyCommand>("apply").WithDescription("Apply the feature repository");
            config.AddCommand<UploadCommand>("upload").WithDescription("Replace a batch source's data with a CSV or Parquet file");
            config.AddCommand<MaterializeCommand>("materialize").WithDescription("Compute views over a window, following the jobs");
            config.AddCommand<MaterializeIncrementalCommand>("materialize-incremental")
                .WithDescription("Compute views from where each last ended up to an end, following the jobs");
            config.AddCommand<CompactCommand>("compact")
                .WithDescription("Rewrite views' small offline files as fewer, following the compactions");
            config.AddCommand<JobCommand>("job").WithDescription("Show a materialization job, or cancel it");
            config.AddCommand<JobsCommand>("jobs").WithDescription("List recent materializations, newest first");
            config.AddCommand<OnlineCommand>("online").WithDescription("Read online features for entities");
            config.AddCommand<HistoricalCommand>("historical").WithDescription("Point-in-time features for an entity file, into a file");
            config.AddCommand<ListCommand>("list").WithDescription("List features, entities, sources, views, services, permissions");
            config.AddCommand<DescribeCommand>("describe").WithDescription("Show an object's definition, or one version of it");
            config.AddCommand<LineageCommand>("lineage").WithDescription("Where a feature comes from and where it goes");
            config.AddBranch("datasets", datasets =>
            {
                datasets.SetDescription("Saved training sets");
                datasets.AddCommand<DatasetsListCommand>("list").WithDescription("List the saved datasets");
                datasets.AddCommand<DatasetsShowCommand>("show").WithDescription("Show how a dataset was made");
                datasets.AddCommand<DatasetsDownloadCommand>("download").WithDescription("Write a dataset's rows to a Parquet file");
            });
            config.AddBranch("keys", keys =>
            {
                keys.SetDescription("API keys (admins)");
                keys.AddCommand<KeysCreateCommand>("create").WithDescription("Make a key; its secret is shown once");
                keys.AddCommand<KeysListCommand>("list").WithDescription("List every key");
                keys.AddCommand<KeysRevokeCommand>("revoke").WithDescription("Revoke a key for good");
            });
            config.AddBranch("models", models =>
            {
                models.SetDescription("The churn model: train, promote, list, predict");
                models.AddCommand<ModelsListCommand>("list").WithDescription("List the model's versions");
                models.AddCommand<ModelsTrainCommand>("train").WithDescription("Train a version and wait for it");
                models.AddCommand<ModelsPromoteCommand>("promote").WithDescription("Promote a version");
                models.AddCommand<ModelsPredictCommand>("predict").WithDescription("Predict churn for customers");
            });
        });
        try
        {
            return await app.RunAsync(args);
        }
        catch (CommandAppException e)
        {
            Printer.Error(e.Message);
            return ExitCodes.Usage;
        }
        catch (UsageException e)
        {
            Printer.Error(e.Message);
            return ExitCodes.Usage;
        }
        catch (FeatureStoreException e)
        {
            Printer.Error($"{e.Status} {e.Title}{(e.Detail is null || e.Fields.Count > 0 ? "" : $": {e.Detail}")}", e.Fields);
            return e.Status is 503 or 502 or 504 ? ExitCodes.Unavailable : ExitCodes.Refused;
        }
        catch (IOException e)
        {
            Printer.Error(e.Message);
            return ExitCodes.Usage;
        }
    }
}
