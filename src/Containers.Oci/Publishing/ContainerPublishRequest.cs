using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Packages;
using Containers.Oci.Stores;

namespace Containers.Oci.Publishing;

/// <summary>Everything needed to build one image for one platform and send it somewhere. Already validated.</summary>
public sealed record ContainerPublishRequest
{
    /// <summary>Where the base image is: a registry reference (it converts), an OCI layout, an archive, a local store.</summary>
    public required ImageLocation BaseImage { get; init; }
    public required Platform Platform { get; init; }
    public required string RuntimeIdentifier { get; init; }
    public required string PublishDirectory { get; init; }

    /// <summary>Where the app goes in the image, e.g. <c>/app/</c>.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Image settings; <see cref="ImageSettings.User"/> null means "from the base".</summary>
    public required ImageSettings Settings { get; init; }

    /// <summary>Where the new image goes and its name there (tags separately): a registry repository, a local docker or
    /// podman, an archive file, an OCI layout folder.</summary>
    public required ImageDestination Destination { get; init; }

    /// <summary>More places the same image goes, under the same tags, after <see cref="Destination"/>.</summary>
    public IReadOnlyList<ImageDestination> ExtraDestinations { get; init; } = [];
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>A folder for this project's layer blobs.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>How the publish folder is split into layers.</summary>
    public LayeringMode Layering { get; init; } = LayeringMode.Auto;

    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>Makes the app folder owned by the image's user, so the app can write there.</summary>
    public bool AppOwnedByUser { get; init; }

    /// <summary>Files and folders added at paths of their own, each in its own layer.</summary>
    public IReadOnlyList<ExtraLayer> ExtraLayers { get; init; } = [];

    /// <summary>The app's .deps.json in the publish folder, which tells package and runtime files apart.</summary>
    public string? DepsFile { get; init; }

    /// <summary>NuGet's packages folder: published files equal to a package's are keyed by its hash, not read (<see cref="PackageFiles"/>).</summary>
    public string? PackageRoot { get; init; }

    /// <summary>ContainerCacheFrom as given: null for the default (the destination's first tag), empty for none.</summary>
    public IReadOnlyList<ImageReference>? CacheFrom { get; init; }

    /// <summary>Where finished layers are remembered; defaults to <see cref="WorkDirectory"/>.</summary>
    public string? LayerCacheDirectory { get; init; }

    /// <summary>The content cache for base layers (ContainerCacheDirectory); null for the default, see <see cref="Content.ContentCache.ResolveDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Adds org.opencontainers.image.base.digest with the base manifest's digest.</summary>
    public bool AddBaseDigestLabel { get; init; }

    /// <summary>Adds the created labels with the image's (reproducible) creation time.</summary>
    public bool AddCreatedLabels { get; init; }

    /// <summary>
    /// The user's process settings. When set, Entrypoint and Cmd are decided once the base image is read, because its
    /// entrypoint matters: kept for DefaultArgs and None, warned about (CONTAINER2022) when replaced. The caller checks
    /// the inputs first (<see cref="AppCommandResolver.Resolve"/> with no base entrypoint) and gives their other warnings.
    /// Without it, <see cref="Settings"/>' Entrypoint and Cmd are used as they are.
    /// </summary>
    public AppCommandInputs? AppCommand { get; init; }

    /// <summary>
    /// ContainerResultFile, which the caller writes after the publish; checked writable before anything is published
    /// (see <see cref="PublishResultFile.CheckWritable"/>). Null: none.
    /// </summary>
    public string? ResultFile { get; init; }

    /// <summary>ContainerPackage items: OS packages installed into a layer between the base and the app (docs/packages.md).</summary>
    public IReadOnlyList<PackageRequest> Packages { get; init; } = [];

    /// <summary>ContainerPackageSource, parsed; empty: the base image's own apt sources.</summary>
    public IReadOnlyList<AptSource> PackageSources { get; init; } = [];

    /// <summary>The HTTP handler for package repositories; null for the default (tests give their own).</summary>
    public HttpMessageHandler? PackageHttpHandler { get; init; }

    /// <summary>The base image lock file to record the base's digest in, or (locked mode) to hold it to; null: none.</summary>
    public SupplyChain.BaseImageLockOptions? BaseImageLock { get; init; }

    /// <summary>The SBOM and provenance to make and attach (ContainerSbom, ContainerSbomFormat, ContainerProvenance); none by default.</summary>
    public SupplyChain.SupplyChainOptions SupplyChain { get; init; } = Oci.SupplyChain.SupplyChainOptions.None;
}

/// <summary>What was produced: the exact manifest and config, the digest, and what the push did.</summary>
public sealed record ContainerPublishResult(
    IImage Image,
    IReadOnlyList<string> Names,
    string Summary)
{
    /// <summary>The archive written, when the destination was one.</summary>
    public string? ArchivePath { get; init; }

    /// <summary>Every name the image got, in the destination and in the extra destinations.</summary>
    public IReadOnlyList<string> AllNames { get; init; } = [];

    /// <summary>The OS packages installed into the image (each platform's, for an index).</summary>
    public IReadOnlyList<InstalledPackage> Packages { get; init; } = [];

    /// <summary>The SBOM files written beside the publish output (one per platform), full paths.</summary>
    public IReadOnlyList<string> SbomFiles { get; init; } = [];
}

/// <summary>What a multi-platform publish produced: the index (and its images) and the names it was sent under.</summary>
public sealed record ContainerIndexPublishResult(
    PlatformIndex Index,
    IReadOnlyList<string> Names,
    string Summary)
{
    /// <summary>The archive written, when the destination was one.</summary>
    public string? ArchivePath { get; init; }

    /// <summary>Every name the image got, in the destination and in the extra destinations.</summary>
    public IReadOnlyList<string> AllNames { get; init; } = [];

    /// <summary>The OS packages installed into the image (each platform's, for an index).</summary>
    public IReadOnlyList<InstalledPackage> Packages { get; init; } = [];

    /// <summary>The SBOM files written beside the publish output (one per platform), full paths.</summary>
    public IReadOnlyList<string> SbomFiles { get; init; } = [];
}
