using System.Text.Json;
using FeatureStore.Client;
using Spectre.Console;

namespace FeatureStore.Cli.Output;

/// <summary>What a command prints: tables and progress for people, one JSON document for scripts (<c>--output json</c>), and
/// errors as one line on standard error with the fields a service named.</summary>
public sealed class Printer(bool json)
{
    private static readonly JsonSerializerOptions Indented = new(FeatureStoreClient.Json) { WriteIndented = true };

    public bool Json => json;

    public static IAnsiConsole Out { get; } = AnsiConsole.Console;

    /// <summary>Prints the result: as JSON in json mode, else through <paramref name="forPeople"/>.</summary>
    public void Result<T>(T value, Action<IAnsiConsole> forPeople)
    {
        if (json) Console.Out.WriteLine(JsonSerializer.Serialize(value, Indented));
        else forPeople(Out);
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns) table.AddColumn(new TableColumn(Markup.Escape(column)));
        return table;
    }

    public static void Error(string message, IReadOnlyList<ProblemField>? fields = null)
    {
        Console.Error.WriteLine($"error: {message}");
        foreach (var field in fields ?? []) Console.Error.WriteLine($"  {field.Name}: {field.Reason}");
    }
}
