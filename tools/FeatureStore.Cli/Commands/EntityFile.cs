using System.Globalization;
using System.Text.Json;
using FeatureStore.Cli.Configuration;
using FeatureStore.Client;

namespace FeatureStore.Cli.Commands;

/// <summary>Entity rows from a file, as columns (<c>{"customer_id": [1, 2]}</c>): CSV with a header row, or JSON (an array of
/// objects). Every row names the same columns.</summary>
public static class EntityFile
{
    public static Dictionary<string, IReadOnlyList<object?>> Read(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--entities: '{path}' does not exist");
        var rows = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? Json(path) : Csv(path);
        if (rows.Count == 0) throw new UsageException($"--entities: '{path}' holds no entity row");
        var names = rows[0].Keys.ToList();
        for (var i = 1; i < rows.Count; i++)
            if (!rows[i].Keys.Order().SequenceEqual(names.Order()))
                throw new UsageException(
                    $"--entities: row {i + 1} of '{path}' does not name the columns of the first ({string.Join(", ", names)})");
        return names.ToDictionary(name => name, name => (IReadOnlyList<object?>)rows.Select(row => row[name]).ToList());
    }

    /// <summary>A value as JSON would carry it: a whole number, else a number, else true/false, else text.</summary>
    public static object? Value(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) ? whole
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real
        : bool.TryParse(text, out var flag) ? flag : text;

    private static List<Dictionary<string, object?>> Csv(string path)
    {
        var lines = File.ReadAllLines(path).Where(line => line.Trim().Length > 0).ToList();
        if (lines.Count == 0) return [];
        var header = lines[0].Split(',', StringSplitOptions.TrimEntries);
        return lines.Skip(1).Select((line, i) =>
        {
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length != header.Length)
                throw new UsageException($"--entities: line {i + 2} of '{path}' has {cells.Length} values for {header.Length} columns");
            return header.Zip(cells).ToDictionary(c => c.First, c => Value(c.Second));
        }).ToList();
    }

    private static List<Dictionary<string, object?>> Json(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new UsageException($"--entities: '{path}' must hold an array of objects, such as [{{\"customer_id\": 1}}]");
            return document.RootElement.EnumerateArray().Select(row => row.ValueKind == JsonValueKind.Object
                    ? row.EnumerateObject().ToDictionary(p => p.Name, p => OnlineFeatures.Plain(p.Value))
                    : throw new UsageException($"--entities: '{path}' must hold an array of objects")).ToList();
        }
        catch (JsonException e)
        {
            throw new UsageException($"--entities: '{path}' is not JSON: {e.Message}");
        }
    }
}
