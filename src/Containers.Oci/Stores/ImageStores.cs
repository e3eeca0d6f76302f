using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Registry;

namespace Containers.Oci.Stores;

/// <summary>What every store may need: registry clients (shared per host), the content cache and the build log.</summary>
public sealed record StoreContext(RegistryClientProvider Clients, ContentCache Cache, IBuildLog Log);

/// <summary>Opens the store a location names: one implementation per kind of place.</summary>
public static class ImageStores
{
    /// <param name="name">The name written images get in a local store; registry stores name them by their reference.</param>
    public static IImageStore Open(ImageLocation location, StoreContext context, ImageName? name = null) => location switch
    {
        RegistryLocation r => new RegistryStore(r.Reference, context),
        OciLayoutLocation l => new OciLayoutStore(l, name),
        ArchiveLocation a => new ArchiveStore(a, context.Cache, name),
        DaemonStoreLocation d => new DaemonStore(d, context, name),
        _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown image location."),
    };

    public static IImageStore Open(ImageDestination destination, StoreContext context) => Open(destination.Location, context, destination.Name);
}
