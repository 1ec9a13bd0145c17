using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Domain;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public sealed class InitSettings : CommandSettings
{
    [CommandArgument(0, "[DIRECTORY]")]
    [Description("Where to make the repository; this directory when absent")]
    public string? Directory { get; init; }

    [CommandOption("-p|--project <NAME>")]
    [DefaultValue("my_project")]
    public string Project { get; init; } = "my_project";

    [CommandOption("--endpoint <URL>")]
    [DefaultValue("http://localhost:5000")]
    public string Endpoint { get; init; } = "http://localhost:5000";

    [CommandOption("--force")]
    [Description("Overwrite the files if they exist")]
    public bool Force { get; init; }

    public override ValidationResult Validate() =>
        Names.IsValid(Project) ? ValidationResult.Success() : ValidationResult.Error($"--project {Names.Rule}");
}

/// <summary>
/// <c>featurestore init [DIRECTORY]</c>, like <c>feast init</c>: a configuration file, a feature repository and a month of sample
/// transactions ending now, ready for <c>apply</c>, <c>upload</c> and <c>materialize</c>.
/// </summary>
public sealed class InitCommand : AsyncCommand<InitSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, InitSettings settings, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(settings.Directory ?? ".");
        var files = new Dictionary<string, string>
        {
            [CliConfig.FileName] = Template("featurestore.yaml", settings),
            ["feature_repo.yaml"] = Template("feature_repo.yaml", settings),
            [Path.Combine("data", "transactions.csv")] = Transactions(DateTimeOffset.UtcNow),
        };
        if (!settings.Force && files.Keys.FirstOrDefault(f => File.Exists(Path.Combine(directory, f))) is { } existing)
            throw new UsageException($"'{Path.Combine(directory, existing)}' exists: pass --force to overwrite");
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(directory, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, cancellationToken);
            Printer.Out.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/]");
        }
        Printer.Out.MarkupLine("next: [bold]featurestore apply[/], [bold]featurestore upload transactions data/transactions.csv[/], " +
                               "[bold]featurestore materialize spending last_purchase --start <30 days ago>[/]");
        return ExitCodes.Ok;
    }

    private static string Template(string name, InitSettings settings)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"templates/{name}")
                           ?? throw new InvalidOperationException($"the template {name} is not in the tool");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("{{project}}", settings.Project).Replace("{{endpoint}}", settings.Endpoint);
    }

    /// <summary>Twenty customers' purchases over the 30 days before <paramref name="end"/>, the same every time but for the dates.
    /// </summary>
    private static string Transactions(DateTimeOffset end)
    {
        var random = new Random(7);
        string[] categories = ["books", "games", "garden", "grocery"];
        var csv = new StringBuilder("customer_id,event_timestamp,amount,category\n");
        for (var customer = 1; customer <= 20; customer++)
            for (var purchase = 0; purchase < 8; purchase++)
            {
                var at = end.AddMinutes(-random.Next(30, 30 * 24 * 60)).ToUniversalTime();
                csv.Append(CultureInfo.InvariantCulture, $"{customer},{at:yyyy-MM-ddTHH:mm:ssZ},");
                csv.Append(CultureInfo.InvariantCulture, $"{Math.Round(5 + random.NextDouble() * 95, 2)},");
                csv.Append(categories[random.Next(categories.Length)]).Append('\n');
            }
        return csv.ToString();
    }
}
