using Containers.Oci.Content;
using Containers.Oci.Daemons;
using Containers.Oci.Model;

namespace Containers.Oci.Images.Sources;

/// <summary>
/// A base image in the local podman or docker store (<c>podman:name:tag</c>, <c>docker-daemon:name:tag</c>). The engine
/// exports it (<c>podman save</c> / <c>docker save</c>) to a temporary file in the cache folder, which is read as an
/// archive, its layers put in the cache, and deleted.
/// </summary>
public sealed class DaemonStoreSource(DaemonStoreLocation location, ContentCache cache) : IImageSource
{
    public async Task<BaseImage> ReadAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var daemon = await LocalDaemon.ConnectAsync(location.Daemon, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(cache.TemporaryDirectory);
        var exported = Path.Combine(cache.TemporaryDirectory, $"export-{Guid.NewGuid():N}.tar");
        try
        {
            var format = await daemon.SaveAsync(location.Name, exported, cancellationToken).ConfigureAwait(false);
            var archive = new ArchiveSource(new ArchiveLocation(format, exported, null), cache, location.ToString());
            return await archive.ReadAsync(platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ContentCache.TryDelete(exported);
        }
    }
}
