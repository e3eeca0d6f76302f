using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>What a tag can point at: an image or an index, as its exact manifest bytes and their descriptor.</summary>
public interface ITaggable
{
    /// <summary>The manifest's media type, digest and size (and platform, for an image whose config names one).</summary>
    Descriptor Descriptor { get; }

    /// <summary>The exact bytes whose digest <see cref="Descriptor"/> gives.</summary>
    byte[] RawManifest { get; }

    /// <summary>The manifest's digest (<see cref="Descriptor"/>'s, parsed).</summary>
    Digest Digest { get; }

    /// <summary>The manifest's media type (<see cref="Descriptor"/>'s).</summary>
    string MediaType { get; }
}
