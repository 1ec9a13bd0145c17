using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FeatureStore.Api;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Reads a repository definition as sent: JSON, or YAML turned into the same JSON tree, so that one
/// binder and one validator serve both. YAML scalars get their YAML 1.2 core types (unquoted 5 is a
/// number, unquoted true a boolean, quoted "5" a string).
/// </summary>
public static partial class RepositoryDocument
{
    public const string BodyField = "body";
    public static readonly string[] YamlMediaTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];
    public static readonly string[] JsonMediaTypes = ["application/json", "text/json"];

    public static bool IsYaml(string? mediaType) => YamlMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);
    public static bool IsJson(string? mediaType) => JsonMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)
        || (mediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Parses the text; syntax errors come back as field errors on <c>body</c> with line and column.</summary>
    public static JsonNode? Parse(string text, bool yaml, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new FieldError(BodyField, "is empty: send a repository definition (project, entities, sources, featureViews, …)"));
            return null;
        }
        return yaml ? ParseYaml(text, errors) : ParseJson(text, errors);
    }

    private static JsonNode? ParseJson(string text, List<FieldError> errors)
    {
        try
        {
            return JsonNode.Parse(text,
                documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(BodyField,
                $"is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}"));
            return null;
        }
    }

    private static JsonNode? ParseYaml(string text, List<FieldError> errors)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            errors.Add(new FieldError(BodyField,
                $"is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}"));
            return null;
        }
        if (stream.Documents.Count != 1)
        {
            errors.Add(new FieldError(BodyField, $"holds {stream.Documents.Count} YAML documents; send exactly one"));
            return null;
        }
        return ToJson(stream.Documents[0].RootNode, "", errors);
    }

    private static JsonNode? ToJson(YamlNode node, string path, List<FieldError> errors)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var key = (keyNode as YamlScalarNode)?.Value;
                    var at = path.Length == 0 ? key : $"{path}.{key}";
                    // (A key given twice never gets here: the YAML parser refuses it.)
                    if (key is null)
                    {
                        errors.Add(new FieldError(path.Length == 0 ? BodyField : path,
                            $"has a key that is not plain text (line {keyNode.Start.Line})"));
                        continue;
                    }
                    obj[key] = ToJson(valueNode, at!, errors);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++) array.Add(ToJson(sequence.Children[i], $"{path}[{i}]", errors));
                return array;
            case YamlScalarNode scalar:
                return scalar.Style is ScalarStyle.Plain ? PlainScalar(scalar.Value ?? "") : JsonValue.Create(scalar.Value ?? "");
            default:
                errors.Add(new FieldError(path.Length == 0 ? BodyField : path,
                    $"uses a YAML construct this reader does not accept (line {node.Start.Line})"));
                return null;
        }
    }

    private static JsonNode? PlainScalar(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntegerPattern().IsMatch(text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(text);
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
