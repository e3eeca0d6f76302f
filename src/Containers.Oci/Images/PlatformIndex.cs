using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>The one implementation of <see cref="IImageIndex"/>: an index read from a store, or one just assembled.</summary>
public sealed class PlatformIndex : IImageIndex
{
    public PlatformIndex(byte[] rawManifest, ImageIndex index, Digest digest, IReadOnlyList<IImage> images)
    {
        RawManifest = rawManifest;
        Index = index;
        Digest = digest;
        Images = images;
        Descriptor = new Descriptor { MediaType = index.MediaType, Digest = digest.ToString(), Size = rawManifest.Length };
    }

    public Descriptor Descriptor { get; }
    public byte[] RawManifest { get; }
    public Digest Digest { get; }
    public string MediaType => Index.MediaType;
    public ImageIndex Index { get; }
    public IReadOnlyList<IImage> Images { get; }

    /// <summary>The platform of each image, as its index entry states it.</summary>
    public IReadOnlyList<Platform> Platforms => Index.Manifests.Select(m => m.Platform!).ToList();
}
