using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.SupplyChain;

/// <summary>ContainerSigningKey: a Sigstore bundle per manifest, valid with the public key for that manifest only.</summary>
public sealed class ManifestSignerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static (string KeyFile, ECDsa Key) NewKey(TempDirectory temp)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (temp.WriteFile($"keys/{Guid.NewGuid():N}.pem", key.ExportPkcs8PrivateKeyPem()), key);
    }

    [Fact]
    public void ABundle_CoversTheManifestsDigest_AndVerifiesWithThePublicKey_ForThatManifestOnly()
    {
        var images = new SampleImages(_temp.Combine("layers"));
        var (image, other) = (images.Image(), images.Image());
        var (file, key) = NewKey(_temp);
        using var signer = ManifestSigner.Load(file);

        var bundle = JsonNode.Parse(signer.Sign(image))!;

        Assert.Equal(ManifestSigner.BundleMediaType, bundle["mediaType"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), bundle["verificationMaterial"]!["publicKey"]!["hint"]!.GetValue<string>());
        var digest = Convert.FromBase64String(bundle["messageSignature"]!["messageDigest"]!["digest"]!.GetValue<string>());
        Assert.Equal(image.Digest.Encoded, Convert.ToHexStringLower(digest));
        var signature = Convert.FromBase64String(bundle["messageSignature"]!["signature"]!.GetValue<string>());
        Assert.True(key.VerifyData(image.RawManifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(key.VerifyData(other.RawManifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void AKeyFileThatIsMissingOrNotAKey_IsCONTAINER5620_WithoutItsContent()
    {
        var missing = Assert.Throws<ContainerException>(() => ManifestSigner.Load(_temp.Combine("none.pem")));
        Assert.Equal("CONTAINER5620", missing.Code);
        Assert.Contains("does not exist", missing.Message);

        var secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXRleHQ=\n-----END PRIVATE KEY-----\n";
        var garbage = Assert.Throws<ContainerException>(() => ManifestSigner.Load(_temp.WriteFile("bad.pem", secret)));
        Assert.Equal(ErrorCatalogue.SigningKeyUnreadable, garbage.Error);
        Assert.DoesNotContain("c2VjcmV0", garbage.Message);

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var curve = Assert.Throws<ContainerException>(() => ManifestSigner.Load(_temp.WriteFile("p384.pem", p384.ExportPkcs8PrivateKeyPem())));
        Assert.Contains("P-256", curve.Message);
    }
}
