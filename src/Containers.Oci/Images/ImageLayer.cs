using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// One layer of an image: its descriptor (compressed digest and size), its diff id (digest of the uncompressed tar),
/// and where its bytes are. A layer we built has a local file; a base layer has none and is read from the base's registry.
/// </summary>
public sealed record ImageLayer(Descriptor Descriptor, string DiffId, string? LocalPath = null)
{
    public bool IsLocal => LocalPath is not null;
}
