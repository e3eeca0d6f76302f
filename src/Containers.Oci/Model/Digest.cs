using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Containers.Oci.Model;

/// <summary>A content digest such as <c>sha256:ab12…</c>. Only sha256 and sha512 are accepted, as the OCI spec registers.</summary>
public readonly partial record struct Digest(string Algorithm, string Encoded)
{
    public override string ToString() => $"{Algorithm}:{Encoded}";

    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest))
        {
            throw new FormatException($"'{value}' is not a valid digest (expected sha256:<64 lower-case hex digits>).");
        }
        return digest;
    }

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null) return false;
        var match = DigestPattern().Match(value);
        if (!match.Success) return false;
        var algorithm = match.Groups[1].Value;
        var encoded = match.Groups[2].Value;
        var expectedLength = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (encoded.Length != expectedLength) return false;
        digest = new Digest(algorithm, encoded);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    public static Digest FromHash(byte[] sha256Hash) => new("sha256", Convert.ToHexStringLower(sha256Hash));

    public static async Task<Digest> Sha256Async(Stream content, CancellationToken cancellationToken = default)
        => FromHash(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));

    [GeneratedRegex("^([a-z0-9]+):([a-f0-9]+)\\z")]
    private static partial Regex DigestPattern();
}
