using Containers.Oci.Content;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// The local docker or podman (<c>podman:name:tag</c>, <c>docker-daemon:name:tag</c>). Reading exports the image
/// (<c>podman save</c> / <c>docker save</c>) to a temporary file in the cache folder, which is read as an archive, its
/// layers put in the cache, and deleted. Writing streams an archive to <c>docker load</c> / <c>podman load</c> on its
/// standard input as it is written, so no copy of the whole image is made on disk on our side.
/// </summary>
/// <param name="name">The name written images get (<c>repository:tag</c> per tag).</param>
public sealed class DaemonStore(DaemonStoreLocation location, StoreContext context, ImageName? name = null) : IImageStore
{
    private LocalDaemon? _daemon;

    public string Name => location.ToString();

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
        => _daemon ??= location.Daemon is { } kind
            ? await LocalDaemon.ConnectAsync(kind, cancellationToken).ConfigureAwait(false)
            : await LocalDaemon.DetectAsync(context.Log, cancellationToken).ConfigureAwait(false);

    public Task<ITaggable> ReadAsync(CancellationToken cancellationToken)
        => ExportedAsync(archive => archive.ReadAsync(cancellationToken), cancellationToken);

    public Task<IImage> ReadImageAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
        => ExportedAsync(archive => archive.ReadImageAsync(platform, runtimeIdentifier, cancellationToken), cancellationToken);

    /// <summary>A local engine keeps no referrers here: a copy with referrers leaves them out.</summary>
    public bool HoldsReferrers => false;

    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Descriptor subject, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<Descriptor>>([]);

    public Task<IImage> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => throw new NotSupportedException($"{Name} lists no referrers, so none can be read from it.");

    public async Task<WriteResult> WriteAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        var daemon = _daemon!;
        var names = name is null ? [] : tags.Select(name.NameFor).ToList();
        // podman 4 loads one image from an OCI index (more falls back to manifest.json, which turns the manifest into
        // Docker's): it loads the image under one name, as it is, and the other names are added as tags.
        var loadedNames = daemon.Kind == LocalDaemonKind.Podman && names.Count > 1 ? names.Take(1).ToList() : names;
        var size = image.RawConfig.Length + image.RawManifest.Length + Image.DistinctLayers(image).Sum(l => l.Descriptor.Size);

        var answer = await daemon.LoadAsync((input, token) => ImageArchiveWriter.WriteAsync(input, image, loadedNames, token), cancellationToken).ConfigureAwait(false);
        context.Log.Detail($"{daemon.Command} load: {answer}");
        if (loadedNames.Count < names.Count) await daemon.TagAsync(names[0], names.Skip(1).ToList(), cancellationToken).ConfigureAwait(false);
        return new WriteResult(names, "Loaded", $"into {daemon} ({ByteSize.Format(size)} streamed to '{daemon.Command} load')");
    }

    /// <summary>
    /// docker's classic store and podman 4 hold images, not indexes: the host's platform is loaded, and the build says
    /// so in one line. (An archive or a registry keeps the whole index.)
    /// </summary>
    public async Task<WriteResult> WriteAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken)
    {
        await CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        var host = HostPlatform.Pick(index);
        var platform = ImageIndexBuilder.PlatformOf(host);
        context.Log.Info($"{_daemon!.Command} cannot hold an image index; loaded {platform} only");
        var result = await WriteAsync(host, tags, cancellationToken).ConfigureAwait(false);
        return result with { Details = $"{result.Details}; {platform} only, of {string.Join(", ", index.Images.Select(ImageIndexBuilder.PlatformOf))}" };
    }

    private async Task<T> ExportedAsync<T>(Func<ArchiveStore, Task<T>> read, CancellationToken cancellationToken)
    {
        await CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        var cache = context.Cache;
        Directory.CreateDirectory(cache.TemporaryDirectory);
        var exported = Path.Combine(cache.TemporaryDirectory, $"export-{Guid.NewGuid():N}.tar");
        try
        {
            var format = await _daemon!.SaveAsync(location.Name, exported, cancellationToken).ConfigureAwait(false);
            return await read(new ArchiveStore(new ArchiveLocation(format, exported, null), cache, displayName: Name)).ConfigureAwait(false);
        }
        finally
        {
            ContentCache.TryDelete(exported);
        }
    }
}
