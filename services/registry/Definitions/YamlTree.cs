using System.Text.Json.Nodes;
using FeatureStore.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlScalar = YamlDotNet.Core.Events.Scalar;

namespace FeatureStore.Registry.Definitions;

/// <summary>How much of a document the registry reads: nesting depth and nodes (aliases counted as what they expand to).</summary>
public sealed record DocumentLimits
{
    public int MaxDepth { get; init; } = 64;
    public int MaxNodes { get; init; } = 200_000;
}

/// <summary>
/// A YAML document as a JSON tree, built from the parser's events without recursion, so no document can take the
/// stack: deeper than <see cref="DocumentLimits.MaxDepth"/> or larger than <see cref="DocumentLimits.MaxNodes"/> is a
/// field error at the path where it happened. Anchors may be reused (each alias is a copy, counted in full); an alias
/// to a node that is still open (<c>&amp;a [*a]</c>) is refused, as is a key given twice or a key that is not text.
/// </summary>
internal sealed class YamlTree(DocumentLimits limits, List<FieldError> errors)
{
    private sealed record Anchored(JsonNode? Node, int Nodes, int Depth);

    private sealed class Open(JsonNode container, string path, string? anchor)
    {
        public JsonNode Container { get; } = container;
        public string Path { get; } = path;
        public string? Anchor { get; } = anchor;
        public string? Key { get; set; }
        public int Nodes { get; set; } = 1;
        public int Depth { get; set; }
    }

    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<Open> _open = new();
    private int _nodes;

    /// <summary>
    /// Reads one document of <paramref name="parser"/>, whose current event is its first node (after
    /// <see cref="DocumentStart"/>), and leaves the parser after its <see cref="DocumentEnd"/>.
    /// </summary>
    public bool TryRead(IParser parser, out JsonNode? root)
    {
        root = null;
        for (; parser.Current is { } current; parser.MoveNext())
        {
            switch (current)
            {
                case DocumentEnd:
                    parser.MoveNext();
                    return true;
                case MappingStart start:
                    if (!TryOpen(new JsonObject(), start.Anchor, start.Start)) return false;
                    break;
                case SequenceStart start:
                    if (!TryOpen(new JsonArray(), start.Anchor, start.Start)) return false;
                    break;
                case MappingEnd or SequenceEnd:
                    var closed = _open.Pop();
                    if (closed.Anchor is { } anchor) Remember(anchor, closed.Container, closed.Nodes, closed.Depth + 1);
                    if (!TryPlace(closed.Container, closed.Nodes, closed.Depth + 1, current.Start, ref root)) return false;
                    break;
                case YamlScalar scalar when _open.TryPeek(out var parent) && parent.Container is JsonObject && parent.Key is null:
                    if (!TryTakeKey(parent, scalar)) return false;
                    break;
                case YamlScalar scalar:
                    var value = scalar.Style is ScalarStyle.Plain
                        ? RepositoryDocument.PlainScalar(scalar.Value)
                        : JsonValue.Create(scalar.Value);
                    if (!CountNodes(1, scalar.Start)) return false;
                    if (!scalar.Anchor.IsEmpty) Remember(scalar.Anchor.Value, value, 1, 0);
                    if (!TryPlace(value, 1, 0, scalar.Start, ref root)) return false;
                    break;
                case AnchorAlias alias:
                    if (!TryAlias(alias, ref root)) return false;
                    break;
                default:
                    return Fail(current.Start, "uses a YAML construct this reader does not accept");
            }
        }
        return Fail(default, "ends before its document does");
    }

    private bool TryOpen(JsonNode container, AnchorName anchor, Mark at)
    {
        if (_open.TryPeek(out var parent) && parent.Container is JsonObject && parent.Key is null)
            return Fail(at, "has a key that is not plain text");
        if (_open.Count >= limits.MaxDepth) return Fail(at, $"nests deeper than {limits.MaxDepth} levels");
        if (!CountNodes(1, at)) return false;
        var path = _open.TryPeek(out var outer) ? ChildPath(outer) : "";
        var name = anchor.IsEmpty ? null : anchor.Value;
        _open.Push(new Open(container, path, name));
        return true;
    }

    private bool TryTakeKey(Open mapping, YamlScalar key)
    {
        var map = (JsonObject)mapping.Container;
        if (map.ContainsKey(key.Value)) return Fail(key.Start, $"gives the key '{key.Value}' twice");
        mapping.Key = key.Value;
        return true;
    }

    private bool TryAlias(AnchorAlias alias, ref JsonNode? root)
    {
        var name = alias.Value.Value;
        if (!_anchors.ContainsKey(name) && _open.Any(o => o.Anchor == name))
            return Fail(alias.Start, $"uses the alias *{name} inside the node it names");
        if (!_anchors.TryGetValue(name, out var anchored)) return Fail(alias.Start, $"uses the alias *{name}, which no anchor defines");
        if (_open.Count + anchored.Depth > limits.MaxDepth)
            return Fail(alias.Start, $"nests deeper than {limits.MaxDepth} levels (through the alias *{name})");
        if (!CountNodes(anchored.Nodes, alias.Start)) return false;
        return TryPlace(anchored.Node?.DeepClone(), anchored.Nodes, anchored.Depth, alias.Start, ref root);
    }

    /// <summary>Puts a finished (and counted) node into the open container above it, or makes it the root.</summary>
    private bool TryPlace(JsonNode? node, int nodes, int depth, Mark at, ref JsonNode? root)
    {
        if (!_open.TryPeek(out var parent))
        {
            root = node;
            return true;
        }
        parent.Nodes += nodes;
        parent.Depth = Math.Max(parent.Depth, depth);
        if (parent.Container is JsonArray array) array.Add(node);
        else if (parent.Key is null) return Fail(at, "has a key that is not plain text");
        else
        {
            ((JsonObject)parent.Container)[parent.Key] = node;
            parent.Key = null;
        }
        return true;
    }

    private void Remember(string anchor, JsonNode? node, int nodes, int depth) => _anchors[anchor] = new Anchored(node, nodes, depth);

    private bool CountNodes(int nodes, Mark at)
    {
        _nodes += nodes;
        return _nodes <= limits.MaxNodes || Fail(at, $"has more than {limits.MaxNodes} values (aliases count as what they repeat)");
    }

    private static string ChildPath(Open parent) => parent.Container is JsonArray array
        ? $"{parent.Path}[{array.Count}]"
        : parent.Path.Length == 0 ? parent.Key! : $"{parent.Path}.{parent.Key}";

    private bool Fail(Mark at, string reason)
    {
        var path = !_open.TryPeek(out var parent) ? ""
            : parent.Container is JsonObject && parent.Key is null ? parent.Path
            : ChildPath(parent);
        errors.Add(new FieldError(path.Length == 0 ? RepositoryDocument.BodyField : path, $"{reason} (line {at.Line})"));
        return false;
    }
}
