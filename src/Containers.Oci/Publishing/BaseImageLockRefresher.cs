using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.SupplyChain;

namespace Containers.Oci.Publishing;

/// <summary>
/// ContainerRefreshBaseImageLock: resolves the base image for a platform as a publish would (its store, its index)
/// and records the digest in the lock file, without building or sending anything.
/// </summary>
public static class BaseImageLockRefresher
{
    /// <summary>The lock file's name beside the project, unless ContainerBaseImageLockFile says otherwise.</summary>
    public const string DefaultFileName = "containers.lock.json";

    public static async Task<string> RefreshAsync(string baseImage, string runtimeIdentifier, string? lockFile, string projectDirectory, string? cacheDirectory,
        IBuildLog log, CancellationToken cancellationToken)
    {
        var location = ImageLocation.Parse(baseImage, projectDirectory);
        var platform = InputParsers.ParsePlatform(runtimeIdentifier);
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(lockFile) ? DefaultFileName : lockFile, projectDirectory);
        using var clients = new RegistryClientProvider(RegistryClientOptions.Default with { Log = log });
        var context = new StoreContext(clients, new ContentCache(ContentCache.ResolveDirectory(cacheDirectory), log), log);
        var image = await ImageStores.Open(location, context).ReadImageAsync(platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
        await BaseImageLock.RecordAsync(path, [(location.ToString(), platform.ToString(), image.Digest.ToString())], cancellationToken).ConfigureAwait(false);
        log.Info($"Locked the base image '{location}' for {platform} at {image.Digest} in {path}.");
        return path;
    }
}
