using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Publishing;

/// <summary>Everything needed to build one image for one platform and send it somewhere. Already validated.</summary>
public sealed record ContainerPublishRequest
{
    public required ImageReference BaseImage { get; init; }
    public required Platform Platform { get; init; }
    public required string RuntimeIdentifier { get; init; }
    public required string PublishDirectory { get; init; }

    /// <summary>Where the app goes in the image, e.g. <c>/app/</c>.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Image settings; <see cref="ImageSettings.User"/> null means "from the base".</summary>
    public required ImageSettings Settings { get; init; }

    /// <summary>Where the new image goes: registry and repository (tags separately).</summary>
    public required ImageReference Destination { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>A folder for this project's layer blobs.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Adds org.opencontainers.image.base.digest with the base manifest's digest.</summary>
    public bool AddBaseDigestLabel { get; init; }

    /// <summary>Adds the created labels with the image's (reproducible) creation time.</summary>
    public bool AddCreatedLabels { get; init; }
}

/// <summary>What was produced: the exact manifest and config, the digest, and what the push did.</summary>
public sealed record ContainerPublishResult(
    BuiltImage Image,
    IReadOnlyList<string> Names,
    string Summary);
