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

    public static IAnsiConsole Out { get; } = Console();

    /// <summary>The terminal's width; into a pipe or a file, COLUMNS or wide enough that a row stays one line for grep.</summary>
    private static IAnsiConsole Console()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0
                ? columns : 250;
        return console;
    }

    /// <summary>Prints the result: as JSON in json mode, else through <paramref name="forPeople"/>.</summary>
    public void Result<T>(T value, Action<IAnsiConsole> forPeople)
    {
        if (json) System.Console.Out.WriteLine(JsonSerializer.Serialize(value, Indented));
        else forPeople(Out);
    }

    /// <summary>Says which file a command wrote, and how big it is.</summary>
    public void Written(string path)
    {
        var written = new { file = Path.GetFullPath(path), bytes = new FileInfo(path).Length };
        Result(written, console => console.MarkupLine($"wrote [bold]{Markup.Escape(written.file)}[/] ({written.bytes:N0} bytes)"));
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns) table.AddColumn(new TableColumn(Markup.Escape(column)));
        return table;
    }

    public static void Error(string message, IReadOnlyList<ProblemField>? fields = null)
    {
        System.Console.Error.WriteLine($"error: {message}");
        foreach (var field in fields ?? []) System.Console.Error.WriteLine($"  {field.Name}: {field.Reason}");
    }
}
