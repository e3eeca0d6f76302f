using Containers.Oci.Content;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Images;

/// <summary>
/// A finished image, ready for any destination: the exact manifest and config bytes (whose digests are final),
/// and every layer with where its bytes can be read.
/// </summary>
public sealed record BuiltImage(
    byte[] Manifest,
    string ManifestMediaType,
    Digest ManifestDigest,
    byte[] Config,
    Descriptor ConfigDescriptor,
    IReadOnlyList<ImageLayer> Layers,
    ImageReference? BaseReference)
{
    /// <summary>Where the bytes of the base layers (those without a local file) can be read.</summary>
    public IBlobSource? BaseBlobs { get; init; }

    public Descriptor ManifestDescriptor => new() { MediaType = ManifestMediaType, Digest = ManifestDigest.ToString(), Size = Manifest.Length };
}
