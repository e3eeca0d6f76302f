using System.Security.Cryptography;

namespace Containers.Testing.Registry;

/// <summary>
/// Digests as the registry checks them: <c>algorithm:hex</c> with sha256 or sha512, lower-case hex of the right length.
/// Written apart from the engine's <c>Digest</c> on purpose, so the fake does not share a bug with the client it checks.
/// </summary>
internal static class ContentDigest
{
    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>True for a well-formed digest of an algorithm this registry supports.</summary>
    public static bool IsValid(string? digest)
    {
        if (digest is null) return false;
        var colon = digest.IndexOf(':');
        if (colon <= 0) return false;
        var length = digest[..colon] switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        var hex = digest[(colon + 1)..];
        return hex.Length == length && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
    }

    /// <summary>Whether <paramref name="content"/> hashes to <paramref name="digest"/> (which must be valid).</summary>
    public static bool Matches(string digest, ReadOnlySpan<byte> content) => digest == Compute(digest[..digest.IndexOf(':')], content);

    public static string Compute(string algorithm, ReadOnlySpan<byte> content) => algorithm switch
    {
        "sha256" => Sha256(content),
        "sha512" => "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content)),
        _ => throw new ArgumentException($"Unsupported digest algorithm '{algorithm}'.", nameof(algorithm)),
    };
}
