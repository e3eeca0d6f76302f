namespace Containers.Oci.Destinations;

/// <summary>
/// A place a built image can be sent: a registry, a local docker or podman, an archive file, an OCI layout folder.
/// Moving an image is reading it from an <see cref="Images.Sources.IImageSource"/> and writing it to one of these.
/// </summary>
public interface IImageDestination
{
    /// <summary>Fails fast, before any work, when the destination cannot take an image (an engine that is not running).</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Sends the image under each tag. When it returns, every name refers to the complete image.</summary>
    Task<DestinationResult> WriteAsync(Images.BuiltImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Sends an image index and every image in it, the index under each tag. When it returns, every name refers to the
    /// complete index. A destination that cannot hold an index (podman load) takes the host's platform and says so.
    /// </summary>
    Task<DestinationResult> WriteIndexAsync(Images.BuiltIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken);
}

/// <summary>What a destination did, for the build's summary line: "{Action} {Names} (digest): …; {Details}".</summary>
public sealed record DestinationResult(IReadOnlyList<string> Names, string Action, string Details)
{
    /// <summary>The archive written, for the GeneratedArchiveOutputPath output.</summary>
    public string? ArchivePath { get; init; }
}
