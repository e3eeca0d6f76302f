using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>An image index (OCI) or manifest list (Docker): its exact bytes and the images it names, in entry order.</summary>
public interface IImageIndex : ITaggable
{
    ImageIndex Index { get; }

    IReadOnlyList<IImage> Images { get; }
}
