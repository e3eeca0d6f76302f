using Containers.Oci.Content;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.Oci.Images.Sources;

/// <summary>
/// A base image in a registry. Reading it fetches the manifest and config only. Its layers are fetched only if a
/// destination needs their bytes (see <see cref="CachedRegistryBlobs"/>); a push to the same registry mounts them.
/// </summary>
public sealed class RegistrySource(ImageReference reference, RegistryClientProvider clients, ContentCache cache) : IImageSource
{
    public async Task<BaseImage> ReadAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var image = await new RegistryImageSource(clients).ReadAsync(reference, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
        return image with { Blobs = new CachedRegistryBlobs(clients.Get(reference.Registry), reference.Repository, cache) };
    }
}

/// <summary>A registry repository's blobs, downloaded once into the content cache (verified) and read from there.</summary>
public sealed class CachedRegistryBlobs(RegistryClient client, string repository, ContentCache cache) : IBlobSource
{
    public async Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        // A concurrent prune may delete the entry between fetching and opening it: then fetch it again, once.
        for (var attempt = 0; ; attempt++)
        {
            var path = await cache.GetOrAddAsync(descriptor, token => client.OpenBlobStreamAsync(repository, descriptor, token),
                $"{client.Registry}/{repository}", cancellationToken).ConfigureAwait(false);
            try
            {
                return ContentCache.OpenRead(path);
            }
            catch (FileNotFoundException) when (attempt == 0)
            {
                cache.Forget(descriptor);
            }
        }
    }
}
