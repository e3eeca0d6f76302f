using Containers.Oci.Content;
using Containers.Oci.Daemons;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;

namespace Containers.Oci.Destinations;

/// <summary>
/// Loads the image into the local docker or podman: the archive is streamed to <c>docker load</c> / <c>podman load</c>
/// on its standard input as it is written, so no copy of the whole image is made on disk on our side.
/// </summary>
public sealed class LocalDaemonDestination(LocalDaemonTarget target, IBuildLog log) : IImageDestination
{
    private LocalDaemon? _daemon;

    public async Task CheckAsync(CancellationToken cancellationToken)
        => _daemon ??= target.Daemon is { } kind
            ? await LocalDaemon.ConnectAsync(kind, cancellationToken).ConfigureAwait(false)
            : await LocalDaemon.DetectAsync(log, cancellationToken).ConfigureAwait(false);

    public async Task<DestinationResult> WriteAsync(BuiltImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        var daemon = _daemon!;
        var names = tags.Select(target.NameFor).ToList();
        // podman 4 loads one image from an OCI index (more falls back to manifest.json, which turns the manifest into
        // Docker's): it loads the image under one name, as it is, and the other names are added as tags.
        var loadedNames = daemon.Kind == LocalDaemonKind.Podman && names.Count > 1 ? names.Take(1).ToList() : names;
        var size = image.Config.Length + image.Manifest.Length + ImageBlobs.Distinct(image).Sum(l => l.Descriptor.Size);

        var answer = await daemon.LoadAsync((input, token) => ImageArchiveWriter.WriteAsync(input, image, loadedNames, token), cancellationToken).ConfigureAwait(false);
        log.Detail($"{daemon.Command} load: {answer}");
        if (loadedNames.Count < names.Count) await daemon.TagAsync(names[0], names.Skip(1).ToList(), cancellationToken).ConfigureAwait(false);
        return new DestinationResult(names, "Loaded", $"into {daemon} ({ByteSize.Format(size)} streamed to '{daemon.Command} load')");
    }

    /// <summary>
    /// docker's classic store and podman 4 hold images, not indexes: the host's platform is loaded, and the build says
    /// so in one line. (An archive or a registry keeps the whole index.)
    /// </summary>
    public async Task<DestinationResult> WriteIndexAsync(BuiltIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        var host = HostPlatform.Pick(index);
        var platform = ImageIndexBuilder.PlatformOf(host);
        log.Info($"{_daemon!.Command} cannot hold an image index; loaded {platform} only");
        var result = await WriteAsync(host, tags, cancellationToken).ConfigureAwait(false);
        return result with { Details = $"{result.Details}; {platform} only, of {string.Join(", ", index.Platforms)}" };
    }
}
