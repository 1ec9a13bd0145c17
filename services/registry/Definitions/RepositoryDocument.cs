using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FeatureStore.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

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
    public static JsonNode? Parse(string text, bool yaml, DocumentLimits limits, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new FieldError(BodyField, "is empty: send a repository definition (project, entities, sources, featureViews, …)"));
            return null;
        }
        return yaml ? ParseYaml(text, limits, errors) : ParseJson(text, limits, errors);
    }

    private static JsonNode? ParseJson(string text, DocumentLimits limits, List<FieldError> errors)
    {
        try
        {
            return JsonNode.Parse(text,
                documentOptions: new JsonDocumentOptions
                {
                    AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = limits.MaxDepth,
                    AllowDuplicateProperties = false,
                });
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(BodyField,
                $"is not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}"));
            return null;
        }
    }

    private static JsonNode? ParseYaml(string text, DocumentLimits limits, List<FieldError> errors)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                errors.Add(new FieldError(BodyField, "holds no YAML document; send exactly one"));
                return null;
            }
            if (!new YamlTree(limits, errors).TryRead(parser, out var root)) return null;
            if (!parser.Accept<StreamEnd>(out _))
            {
                errors.Add(new FieldError(BodyField, "holds more than one YAML document; send exactly one"));
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            errors.Add(new FieldError(BodyField,
                $"is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}"));
            return null;
        }
    }

    internal static JsonNode? PlainScalar(string text)
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
