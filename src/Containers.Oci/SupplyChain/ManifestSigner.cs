using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;

namespace Containers.Oci.SupplyChain;

/// <summary>
/// Signs image manifests with a local ECDSA P-256 key (ContainerSigningKey, a PEM file) as Sigstore bundles (v0.3, a
/// message signature over the manifest, the public key named by a hint), which sigstore's own verifiers check offline
/// with the public key. The manifest's SHA-256 is the image digest, so a bundle holds for exactly one image.
/// </summary>
public sealed class ManifestSigner : IDisposable
{
    public const string BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The annotation that names the key a signature was made with, so a re-publish with the same key signs nothing again.</summary>
    public const string KeyHintAnnotation = "dev.containers-build.signature.key-hint";

    private readonly ECDsa _key;

    private ManifestSigner(ECDsa key, string hint)
    {
        _key = key;
        KeyHint = hint;
    }

    /// <summary>The public key's SHA-256 (of its SubjectPublicKeyInfo), base64: how the bundle names the key.</summary>
    public string KeyHint { get; }

    /// <summary>Reads the key before any work (CONTAINER5620); the key's bytes are never logged or put in a message.</summary>
    public static ManifestSigner Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ErrorCatalogue.SigningKeyUnreadable.ToException(e, path, e.GetType() == typeof(FileNotFoundException) ? "the file does not exist" : e.Message.TrimEnd('.'));
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw ErrorCatalogue.SigningKeyUnreadable.ToException(path, "it holds no unencrypted ECDSA private key in PEM form");
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw ErrorCatalogue.SigningKeyUnreadable.ToException(path, $"its curve has {key.KeySize} bits, not P-256's 256");
        }
        return new ManifestSigner(key, Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo())));
    }

    /// <summary>A Sigstore bundle whose message signature covers <paramref name="image"/>'s manifest bytes.</summary>
    public byte[] Sign(IImage image)
    {
        var signature = _key.SignData(image.RawManifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var bundle = new JsonObject
        {
            ["mediaType"] = BundleMediaType,
            ["verificationMaterial"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["hint"] = KeyHint },
                ["tlogEntries"] = new JsonArray(),
                ["timestampVerificationData"] = new JsonObject { ["rfc3161Timestamps"] = new JsonArray() },
            },
            ["messageSignature"] = new JsonObject
            {
                ["messageDigest"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(Convert.FromHexString(image.Digest.Encoded)) },
                ["signature"] = Convert.ToBase64String(signature),
            },
        };
        return DocumentJson.Bytes(bundle);
    }

    public void Dispose() => _key.Dispose();
}
