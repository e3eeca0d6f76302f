using System.Security.Cryptography;

namespace Containers.Oci.Model;

/// <summary>Hashing for the digest algorithms the OCI spec registers, so content is checked with the algorithm its digest names.</summary>
internal static class DigestAlgorithm
{
    public static IncrementalHash CreateHash(string algorithm) => IncrementalHash.CreateHash(algorithm switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha512" => HashAlgorithmName.SHA512,
        _ => throw new NotSupportedException($"Digest algorithm '{algorithm}' is not supported."),
    });

    public static Digest Compute(string algorithm, ReadOnlySpan<byte> content)
    {
        using var hash = CreateHash(algorithm);
        hash.AppendData(content);
        return new Digest(algorithm, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
