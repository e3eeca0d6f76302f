using Containers.Oci.Content;
using Containers.Oci.Registry;

namespace Containers.Oci.Images.Sources;

/// <summary>Turns where a base image is into the source that reads it.</summary>
public static class ImageSources
{
    public static IImageSource For(ImageLocation location, RegistryClientProvider clients, ContentCache cache) => location switch
    {
        RegistryLocation r => new RegistrySource(r.Reference, clients, cache),
        OciLayoutLocation l => new OciLayoutSource(l),
        ArchiveLocation a => new ArchiveSource(a, cache),
        DaemonStoreLocation d => new DaemonStoreSource(d, cache),
        _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown image location."),
    };
}
