using Containers.Oci.Diagnostics;
using Containers.Oci.Registry;

namespace Containers.Oci.Destinations;

/// <summary>Turns where the user asked the image to go into the destination that sends it there.</summary>
public static class ImageDestinations
{
    public static IImageDestination For(ImageTarget target, RegistryClientProvider clients, IBuildLog log) => target switch
    {
        RegistryTarget r => new RegistryRepositoryDestination(new RegistryDestination(clients), r.Reference, log),
        LocalDaemonTarget d => new LocalDaemonDestination(d, log),
        ArchiveTarget a => new ArchiveDestination(a),
        OciLayoutTarget l => new OciLayoutDestination(l),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown image target."),
    };
}
