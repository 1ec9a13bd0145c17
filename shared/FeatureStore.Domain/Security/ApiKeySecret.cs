using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace FeatureStore.Domain.Security;

/// <summary>
/// The text of an API key, <c>fsk_{id}_{secret}</c>: the id (16 hex characters) finds the key's record without a scan; the
/// secret (32 random bytes, base64url) is what proves it. Only <see cref="Hash"/> of the whole text is ever stored: the
/// secret has 256 bits of entropy, so one SHA-256 is enough (no password stretching needed), and comparing hashes in
/// constant time tells nothing of how close a guess came.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "fsk_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;
    private static readonly int TextLength = Prefix.Length + 2 * IdBytes + 1 + Base64UrlLength(SecretBytes);

    /// <summary>A new key: its id (public, listed) and its whole text (shown once, to whoever asked for it).</summary>
    public static (string Id, string Text) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id of a text shaped like a key, or false for anything else (no lookup is made for it).</summary>
    public static bool TryReadId(string? text, [NotNullWhen(true)] out string? id)
    {
        id = null;
        if (text is null || text.Length != TextLength || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var candidate = text.AsSpan(Prefix.Length, 2 * IdBytes);
        if (text[Prefix.Length + 2 * IdBytes] != '_' || !IsLowerHex(candidate)) return false;
        id = candidate.ToString();
        return true;
    }

    /// <summary>What is stored for a key: SHA-256 of its whole text, as lowercase hex.</summary>
    public static string Hash(string text)
    {
        // Every authenticated request hashes its key: the key's bytes and the digest stay on the stack (keys are short; a long
        // text, which no key is, takes the heap).
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(text, bytes)], digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Whether <paramref name="text"/> is the key whose stored hash is <paramref name="hash"/>, in constant time.</summary>
    public static bool Matches(string text, string hash) => SameHash(Hash(text), hash);

    /// <summary>Two hashes compared in constant time.</summary>
    public static bool SameHash(string hash, string other) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(hash.AsSpan()), MemoryMarshal.AsBytes(other.AsSpan()));

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int Base64UrlLength(int bytes) => (bytes * 4 + 2) / 3;
}
