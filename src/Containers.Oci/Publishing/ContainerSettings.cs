namespace Containers.Oci.Publishing;

/// <summary>
/// A publish's settings as the user wrote them (MSBuild properties and items, or a CLI's options), not yet checked.
/// <see cref="PublishRequestBuilder"/> checks every one and turns them into a <see cref="ContainerPublishRequest"/>.
/// Null or empty means "not set", as an MSBuild property would be.
/// </summary>
public sealed record ContainerSettings
{
    public required string BaseImage { get; init; }
    public required string RuntimeIdentifier { get; init; }
    public required string Repository { get; init; }
    public required string PublishDirectory { get; init; }
    public required string WorkingDirectory { get; init; }
    public required string IntermediateDirectory { get; init; }

    public string? ImageFormat { get; init; }
    public string? LocalRegistry { get; init; }
    public string? OutputRegistry { get; init; }
    public string? ImageTag { get; init; }
    public string? ImageTags { get; init; }
    public string? ArchiveOutputPath { get; init; }
    public string? OciLayoutPath { get; init; }
    public string? ExtraDestinations { get; init; }
    public string? CacheDirectory { get; init; }
    public string? ResultFile { get; init; }
    public string? ProjectDirectory { get; init; }
    public string? DepsFile { get; init; }
    /// <summary>NuGet's packages folder (NuGetPackageRoot), where package files are compared with the published ones.</summary>
    public string? PackageRoot { get; init; }
    /// <summary>ContainerCacheFrom: earlier images whose layers may be reused, ';'-separated; 'none' for none.</summary>
    public string? CacheFrom { get; init; }

    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];
    public IReadOnlyList<string> AppCommand { get; init; } = [];
    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];
    public IReadOnlyList<string> DefaultArgs { get; init; } = [];
    public string? AppCommandInstruction { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables { get; init; } = [];
    /// <summary>Each port as written: its number and its type (tcp, udp, or empty for tcp).</summary>
    public IReadOnlyList<(string Number, string? Type)> Ports { get; init; } = [];
    public string? User { get; init; }
    public string? ImageCreated { get; init; }
    public bool GenerateLabels { get; init; } = true;
    public bool GenerateDigestLabel { get; init; } = true;
    public bool GenerateCreatedLabels { get; init; } = true;

    public string? Layering { get; init; }
    public string? LayerCompression { get; init; }
    public bool AppOwnedByUser { get; init; }
    /// <summary>ContainerLayer items: the file or folder, and its TargetPath, Mode and Owner as written.</summary>
    public IReadOnlyList<(string Source, string? TargetPath, string? Mode, string? Owner)> ExtraLayers { get; init; } = [];

    /// <summary>ContainerPackage items: an OS package name and its optional Version metadata, as written.</summary>
    public IReadOnlyList<(string Name, string? Version)> Packages { get; init; } = [];
    /// <summary>ContainerPackageSource: where OS packages come from when not from the base image's apt configuration.</summary>
    public string? PackageSource { get; init; }

    /// <summary>ContainerSbom, ContainerSbomFormat, ContainerProvenance as written (empty: the default, both on, CycloneDX).</summary>
    public string? Sbom { get; init; }
    public string? SbomFormat { get; init; }
    public string? Provenance { get; init; }
    /// <summary>Where the SBOM file goes (ContainerSbomDirectory) and its name's start (the assembly name); no directory: no file.</summary>
    public string? SbomDirectory { get; init; }
    public string? SbomName { get; init; }
    /// <summary>obj/project.assets.json, for the packages' hashes and folders.</summary>
    public string? ProjectAssetsFile { get; init; }
    public string? SdkVersion { get; init; }
    /// <summary>The CI variables of <see cref="SupplyChain.CiRun.Variables"/> that are set, read by the caller.</summary>
    public IReadOnlyDictionary<string, string> CiEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>ContainerSigningKey: a PEM file with the ECDSA P-256 key that signs each manifest; empty: no signature.</summary>
    public string? SigningKey { get; init; }

    /// <summary>ContainerBaseImageLock, ContainerBaseImageLockedMode (true/false as written) and ContainerBaseImageLockFile.</summary>
    public string? BaseImageLock { get; init; }
    public string? BaseImageLockedMode { get; init; }
    public string? BaseImageLockFile { get; init; }

    /// <summary>SOURCE_DATE_EPOCH from the environment, read by the caller so this record says everything the publish depends on.</summary>
    public string? SourceDateEpoch { get; init; }
}
