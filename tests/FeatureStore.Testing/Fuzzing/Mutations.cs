using System.Text;
using System.Text.Json.Nodes;

namespace FeatureStore.Testing.Fuzzing;

/// <summary>
/// The malformed and hostile variants of a request's parts that issue 14 found servers stumbling on: wrong types,
/// nulls, unknown, duplicate and case-different members, deep nesting, lone surrogates, invalid UTF-8, truncation,
/// huge strings and numbers, and hostile path and query text.
/// </summary>
public sealed class Mutations(Random random)
{
    private static readonly string[] HostileText =
    [
        "", " ", "..", "../../etc/passwd", "%00", "a\u0000b", "\ud800", "name@", "@1", "x@-1", "x@99999999999", "'; DROP TABLE x; --",
        "SELECT current_setting('temp_directory')", "${jndi:ldap://x}", "\u202e", "名前", "a/b", "a%2Fb", "NaN", "-0", "1e400",
        "true", "null", "[]", "{}", "2024-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z",
    ];

    public string Text() => random.Next(10) == 0 ? new string('x', random.Next(1, 20_000)) : HostileText[random.Next(HostileText.Length)];

    /// <summary>A body: the valid-shaped one as it is (half the time) or one of the malformed variants of it.</summary>
    public byte[] Body(JsonNode? valid)
    {
        var text = valid?.ToJsonString() ?? "null";
        if (random.Next(2) == 0) return Encoding.UTF8.GetBytes(text);
        return random.Next(14) switch
        {
            0 => Encoding.UTF8.GetBytes(Replace(valid, _ => null)),
            1 => Encoding.UTF8.GetBytes(Replace(valid, _ => JsonValue.Create(Text()))),
            2 => Encoding.UTF8.GetBytes(Replace(valid, _ => new JsonArray(JsonValue.Create(1), null))),
            3 => Encoding.UTF8.GetBytes(text.Length > 2 ? text[..random.Next(1, text.Length)] : "{"),
            4 => Encoding.UTF8.GetBytes(Nested(random.Next(2) == 0 ? 70 : 5_000)),
            5 => Encoding.UTF8.GetBytes(text.StartsWith('{') && text.Length > 2
                ? "{\"project\":\"a\",\"project\":\"b\"," + text[1..] : text),
            6 => Encoding.UTF8.GetBytes(text.StartsWith('{') ? "{\"Project\":[],\"constructor\":1," + text[1..] : "[" + text + "]"),
            7 => Encoding.UTF8.GetBytes(text.Replace("\"", "\"\\ud800", StringComparison.Ordinal)),
            8 => [0xC3, 0x28, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(text)],
            9 => Encoding.UTF8.GetBytes(Replace(valid, _ => JsonValue.Create(new string('y', 300_000)))),
            10 => Encoding.UTF8.GetBytes(Replace(valid, _ => JsonNode.Parse(random.Next(2) == 0 ? "1e308" : "-9223372036854775809"))),
            11 => Encoding.UTF8.GetBytes(Replace(valid, _ => JsonValue.Create("Infinity"))),
            12 => [],
            _ => RandomBytes(),
        };
    }

    /// <summary>A Content-Type header (or headers) for a body: mostly the operation's own, sometimes malformed.</summary>
    public string[] ContentType(IReadOnlyList<string> mediaTypes)
    {
        var own = mediaTypes.Count > 0 ? mediaTypes[random.Next(mediaTypes.Count)] : "application/json";
        return random.Next(12) switch
        {
            0 => [],
            1 => ["text/plain"],
            2 => [own + ", text/plain"],
            3 => [own + ";;;"],
            4 => [own, own],
            5 => [own + "; charset=utf-16"],
            6 => ["application/yaml"],
            _ => [own],
        };
    }

    private string Replace(JsonNode? node, Func<JsonNode?, JsonNode?> replacement)
    {
        if (node is not JsonObject { Count: > 0 } obj) return replacement(node)?.ToJsonString() ?? "null";
        var copy = (JsonObject)obj.DeepClone();
        var name = copy.ElementAt(random.Next(copy.Count)).Key;
        if (copy[name] is JsonObject or JsonArray && random.Next(2) == 0)
            copy[name] = JsonNode.Parse(Replace(copy[name], replacement));
        else copy[name] = replacement(copy[name]);
        return copy.ToJsonString();
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(1, 512)];
        random.NextBytes(bytes);
        return bytes;
    }
}
