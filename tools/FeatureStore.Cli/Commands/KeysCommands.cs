using System.ComponentModel;
using System.Globalization;
using FeatureStore.Cli.Configuration;
using FeatureStore.Cli.Output;
using FeatureStore.Client;
using FeatureStore.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FeatureStore.Cli.Commands;

public sealed class KeyCreateSettings : StoreSettings
{
    [CommandOption("--name <NAME>")]
    public string? Name { get; init; }

    [CommandOption("--owner <WHO>")]
    [Description("Who answers for the key")]
    public string? Owner { get; init; }

    [CommandOption("--projects <NAMES>")]
    [Description("The projects it may act in, comma-separated, or *")]
    public string? Projects { get; init; }

    [CommandOption("--roles <ROLES>")]
    [Description("admin, writer, reader or roles the repository's permissions name; comma-separated")]
    public string? Roles { get; init; }

    [CommandOption("--expires <INSTANT>")]
    [Description("When it stops working (ISO 8601)")]
    public DateTimeOffset? Expires { get; init; }

    [CommandOption("--requests-per-second <N>")]
    public int? RequestsPerSecond { get; init; }
}

/// <summary><c>featurestore keys create --name ci --owner me --projects default --roles reader</c>: prints the secret once.
/// The registry checks every field (a refusal names it).</summary>
public sealed class KeysCreateCommand : StoreCommand<KeyCreateSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, KeyCreateSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        static List<string>? List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        var created = await client.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            Name = settings.Name, Owner = settings.Owner, Projects = List(settings.Projects), Roles = List(settings.Roles),
            ExpiresAt = settings.Expires, RequestsPerSecond = settings.RequestsPerSecond,
        }, cancellationToken);
        printer.Result(created, console =>
        {
            console.MarkupLine($"made key [bold]{Markup.Escape(created.Key.Id)}[/] ({Markup.Escape(created.Key.Name)}); " +
                "its secret, shown this once:");
            console.WriteLine(created.Secret);
        });
        return ExitCodes.Ok;
    }
}

/// <summary><c>featurestore keys list</c>: every key, never a secret.</summary>
public sealed class KeysListCommand : StoreCommand<StoreSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, StoreSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var keys = await client.ListApiKeysAsync(cancellationToken);
        printer.Result(keys, console =>
        {
            var table = Printer.Table("id", "name", "owner", "projects", "roles", "created", "state");
            foreach (var key in keys)
                table.AddRow(Markup.Escape(key.Id), Markup.Escape(key.Name), Markup.Escape(key.Owner),
                    Markup.Escape(string.Join(", ", key.Projects)), Markup.Escape(string.Join(", ", key.Roles)),
                    key.CreatedAt.ToString("u", CultureInfo.InvariantCulture), State(key));
            console.Write(table);
        });
        return ExitCodes.Ok;
    }

    private static string State(ApiKeyDto key) =>
        key.RevokedAt is not null ? "[red]revoked[/]" : key.ExpiresAt < DateTimeOffset.UtcNow ? "[grey]expired[/]" : "[green]active[/]";
}

public sealed class KeyRevokeSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";
}

/// <summary><c>featurestore keys revoke ID</c>: for good.</summary>
public sealed class KeysRevokeCommand : StoreCommand<KeyRevokeSettings>
{
    protected override async Task<int> RunAsync(FeatureStoreClient client, CliConfig config, KeyRevokeSettings settings, Printer printer,
        CancellationToken cancellationToken)
    {
        var key = await client.RevokeApiKeyAsync(settings.Id, cancellationToken);
        printer.Result(key, console => console.MarkupLine($"revoked key [bold]{Markup.Escape(key.Id)}[/] ({Markup.Escape(key.Name)})"));
        return ExitCodes.Ok;
    }
}
