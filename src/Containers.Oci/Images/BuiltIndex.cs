using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// A finished image index (OCI) or manifest list (Docker): its exact bytes and digest, and the images it names, in
/// the order of its entries.
/// </summary>
public sealed record BuiltIndex(byte[] Index, string MediaType, Digest Digest, IReadOnlyList<BuiltImage> Images)
{
    /// <summary>Extra tags per image (same order as <see cref="Images"/>), e.g. <c>1.0-linux-arm64</c>; empty by default: pushed by digest only.</summary>
    public IReadOnlyList<IReadOnlyList<string>> PlatformTags { get; init; } = [];

    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest.ToString(), Size = Index.Length };

    /// <summary>The platform of each image, from its config.</summary>
    public IReadOnlyList<Platform> Platforms => Images.Select(ImageIndexBuilder.PlatformOf).ToList();
}
