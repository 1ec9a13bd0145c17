using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Domain;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Json;

namespace FeatureStore.Cli.Commands;

/// <summary>The kinds of object as the command line names them: each kind's route segment (<c>feature-views</c>) and its short
/// names (<c>views</c>, <c>view</c>).</summary>
public static class CliKinds
{
    private static readonly Dictionary<ObjectKind, string[]> Aliases = new()
    {
        [ObjectKind.Entity] = ["entity"],
        [ObjectKind.DataSource] = ["sources", "source"],
        [ObjectKind.FeatureView] = ["views", "view"],
        [ObjectKind.OnDemandFeatureView] = ["on-demand-views", "on-demand-view"],
        [ObjectKind.FeatureService] = ["services", "service"],
        [ObjectKind.Permission] = ["permission"],
    };

    private static readonly Dictionary<string, ObjectKind> ByName = ObjectKinds.All
        .SelectMany(kind => Aliases[kind].Prepend(kind.RouteSegment()).Select(name => (name, kind)))
        .ToDictionary(n => n.name, n => n.kind, StringComparer.OrdinalIgnoreCase);

    public const string Names = "entities, sources, views, on-demand-views, services, permissions";

    public static ObjectKind Parse(string text) =>
        ByName.TryGetValue(text, out var kind) ? kind : throw new UsageException($"'{text}' is not a kind: {Names}");

    public static bool IsKind(string text) => ByName.ContainsKey(text);
}

public sealed class ListSettings : StoreSettings
{
    [CommandArgument(0, "<KIND>")]
    [Description("features, " + CliKinds.Names)]
    public string Kind { get; init; } = "";

    [CommandOption("-q|--query <TEXT>")]
    [Description("features only: text in names, descriptions, owners or tags")]
    public string? Query { get; init; }

    [CommandOption("-t|--type <TYPE>")]
    [Description("features only: a value type (int64, float64, string, …)")]
    public string? Type { get; init; }

    public override ValidationResult Validate() =>
        Kind != "features" && !CliKinds.IsKind(Kind) ? ValidationResult.Error($"<KIND> must be features, {CliKinds.Names}")
        : Kind != "features" && (Query ?? Type) is not null ? ValidationResult.Error("--query and --type filter features only")
        : base.Validate();
}

/// <summary><c>featurestore list views</c>, <c>featurestore list features -q amount</c>: what the project holds.</summary>
public sealed class ListCommand : StoreCommand<ListSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, ListSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        if (settings.Kind == "features")
        {
            var hits = await client.SearchFeaturesAsync(settings.Query, type: settings.Type, cancellationToken: cancellationToken);
            printer.Result(hits, console =>
            {
                var table = Printer.Table("feature", "type", "entities", "owner", "description");
                foreach (var hit in hits)
                    table.AddRow(Markup.Escape(hit.Ref), hit.Type, Markup.Escape(string.Join(", ", hit.Entities)),
                        Markup.Escape(hit.Owner ?? ""), Markup.Escape(hit.Description ?? ""));
                console.Write(table);
            });
            return ExitCodes.Ok;
        }
        var objects = await client.ListObjectsAsync(CliKinds.Parse(settings.Kind), cancellationToken: cancellationToken);
        printer.Result(objects.Select(o => JsonSerializer.SerializeToElement(o, o.GetType(), DefinitionJson.Options)).ToList(), console =>
        {
            var table = Printer.Table("name", "version", "owner", "description", "created");
            foreach (var item in objects)
                table.AddRow(Markup.Escape(item.Name), item.Version.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(item.Metadata.Owner ?? ""), Markup.Escape(item.Metadata.Description ?? ""),
                    item.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            console.Write(table);
        });
        return ExitCodes.Ok;
    }
}

public sealed class DescribeSettings : StoreSettings
{
    [CommandArgument(0, "<KIND>")]
    [Description(CliKinds.Names)]
    public string Kind { get; init; } = "";

    [CommandArgument(1, "<NAME>")]
    public string Name { get; init; } = "";

    [CommandOption("--version <N>")]
    [Description("One version instead of the latest")]
    public int? Version { get; init; }

    public override ValidationResult Validate() =>
        !CliKinds.IsKind(Kind) ? ValidationResult.Error($"<KIND> must be one of {CliKinds.Names}")
        : Version is < 1 ? ValidationResult.Error("--version must be 1 or more") : base.Validate();
}

/// <summary><c>featurestore describe view NAME [--version N]</c>: an object's definition as the registry keeps it.</summary>
public sealed class DescribeCommand : StoreCommand<DescribeSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, DescribeSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var definition = await client.GetObjectAsync(CliKinds.Parse(settings.Kind), settings.Name, settings.Version,
            cancellationToken: cancellationToken);
        var json = JsonSerializer.SerializeToElement(definition, definition.GetType(), DefinitionJson.Options);
        printer.Result(json, console =>
        {
            console.MarkupLine($"[bold]{Markup.Escape(definition.Kind.ToName())} {Markup.Escape(definition.Name)}[/] " +
                $"version {definition.Version}, applied {definition.CreatedAt:u}");
            console.Write(new JsonText(json.GetRawText()));
            console.WriteLine();
        });
        return ExitCodes.Ok;
    }
}

public sealed class LineageSettings : StoreSettings
{
    [CommandArgument(0, "<FEATURE>")]
    [Description("A feature reference, view:feature")]
    public string Feature { get; init; } = "";

    public override ValidationResult Validate() =>
        !Feature.Contains(':') ? ValidationResult.Error("<FEATURE> must be view:feature") : base.Validate();
}

/// <summary><c>featurestore lineage view:feature</c>: where a feature comes from and where it goes, as a tree per edge.</summary>
public sealed class LineageCommand : StoreCommand<LineageSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, LineageSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var lineage = await client.GetLineageAsync(settings.Feature, cancellationToken: cancellationToken);
        printer.Result(lineage, console =>
        {
            var nodes = lineage.Nodes.ToDictionary(n => n.Id);
            string Label(string id) => nodes.TryGetValue(id, out var node)
                ? $"[grey]{Markup.Escape(node.Kind)}[/] {Markup.Escape(node.Name)}{(node.Version is { } v ? $" [grey]v{v}[/]" : "")}"
                : Markup.Escape(id);
            var roots = lineage.Nodes.Where(n => lineage.Edges.All(e => e.To != n.Id)).ToList();
            var tree = new Tree($"lineage of [bold]{Markup.Escape(lineage.Feature)}[/]");
            foreach (var root in roots) Grow(tree.AddNode(Label(root.Id)), root.Id, [root.Id]);
            console.Write(tree);

            void Grow(TreeNode at, string id, HashSet<string> path)
            {
                foreach (var edge in lineage.Edges.Where(e => e.From == id && !path.Contains(e.To)))
                    Grow(at.AddNode(Label(edge.To)), edge.To, [.. path, edge.To]);
            }
        });
        return ExitCodes.Ok;
    }
}
