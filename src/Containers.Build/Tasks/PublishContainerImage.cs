using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Microsoft.Build.Framework;

namespace Containers.Build.Tasks;

/// <summary>
/// Builds the image for one runtime identifier, or with <see cref="Platforms"/> one per runtime identifier and an index
/// of them, and sends it to its destinations. Thin: it turns MSBuild properties and items into
/// <see cref="ContainerSettings"/>, which <see cref="PublishRequestBuilder"/> checks (every input before any network
/// call), and hands the requests to <see cref="ContainerPublisher"/>.
/// </summary>
public sealed class PublishContainerImage : ContainerTask
{
    [Required] public string BaseImage { get; set; } = "";
    /// <summary>The image's runtime identifier; each platform's own when <see cref="Platforms"/> is set.</summary>
    public string ContainerRuntimeIdentifier { get; set; } = "";
    public string? ImageFormat { get; set; }
    public string? LocalRegistry { get; set; }
    public string? OutputRegistry { get; set; }
    [Required] public string Repository { get; set; } = "";
    public string? ImageTag { get; set; }
    public string? ImageTags { get; set; }
    [Required] public string PublishDirectory { get; set; } = "";
    [Required] public string WorkingDirectory { get; set; } = "";
    public ITaskItem[] Entrypoint { get; set; } = [];
    public ITaskItem[] EntrypointArgs { get; set; } = [];
    public ITaskItem[] AppCommand { get; set; } = [];
    public ITaskItem[] AppCommandArgs { get; set; } = [];
    public string? AppCommandInstruction { get; set; }
    public ITaskItem[] DefaultArgs { get; set; } = [];
    public ITaskItem[] Labels { get; set; } = [];
    public ITaskItem[] ExposedPorts { get; set; } = [];
    public ITaskItem[] EnvironmentVariables { get; set; } = [];
    public string? ContainerUser { get; set; }
    public string? ImageCreated { get; set; }
    public bool GenerateLabels { get; set; } = true;
    public bool GenerateDigestLabel { get; set; } = true;
    public bool GenerateCreatedLabels { get; set; } = true;
    [Required] public string IntermediateDirectory { get; set; } = "";
    public string? ResultFile { get; set; }

    /// <summary>Auto (runtime, packages, project references, app) or Single (one layer, as the built-in).</summary>
    public string? Layering { get; set; }
    public string? LayerCompression { get; set; }
    public bool AppOwnedByUser { get; set; }
    /// <summary>ContainerLayer items: a file or folder, with TargetPath and optional Mode and Owner metadata.</summary>
    public ITaskItem[] ExtraLayers { get; set; } = [];
    /// <summary>ContainerPackage items: OS packages (Debian, Ubuntu) with optional Version metadata.</summary>
    public ITaskItem[] Packages { get; set; } = [];
    /// <summary>ContainerPackageSource: 'URL SUITE COMPONENTS KEYRING' when the base image has no apt sources.</summary>
    public string? PackageSource { get; set; }
    /// <summary>The app's .deps.json in the publish folder.</summary>
    public string? DepsFile { get; set; }
    /// <summary>NuGetPackageRoot: package files published unchanged are keyed by their package's hash, not read.</summary>
    public string? PackageRoot { get; set; }
    /// <summary>ContainerCacheFrom: earlier images whose layers may be reused by their recorded keys; 'none' for none.</summary>
    public string? CacheFrom { get; set; }
    /// <summary>The project folder, for the git commit time.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>ContainerArchiveOutputPath: write an archive file (or &lt;repository&gt;.tar.gz in this folder) instead of pushing.</summary>
    public string? ArchiveOutputPath { get; set; }
    /// <summary>ContainerOciLayoutPath: add the image to this OCI image layout folder instead of pushing.</summary>
    public string? OciLayoutPath { get; set; }
    /// <summary>ContainerExtraDestinations: more places the image goes, ';'-separated (see <see cref="Oci.Publishing.ExtraDestinations"/>).</summary>
    public string? ExtraDestinations { get; set; }
    /// <summary>ContainerCacheDirectory: the content cache for base layers; empty for the default.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>ContainerSbom, ContainerSbomFormat, ContainerProvenance: the documents attached to each image (docs/supply-chain.md).</summary>
    public string? Sbom { get; set; }
    public string? SbomFormat { get; set; }
    public string? Provenance { get; set; }
    /// <summary>ContainerSbomDirectory: where the SBOM file is written; SbomName starts its name (the assembly name).</summary>
    public string? SbomDirectory { get; set; }
    public string? SbomName { get; set; }
    /// <summary>The project's assets file (package hashes) and the SDK's version (for the provenance's builder).</summary>
    public string? ProjectAssetsFile { get; set; }
    public string? SdkVersion { get; set; }
    /// <summary>ContainerBaseImageLock, ContainerBaseImageLockedMode, ContainerBaseImageLockFile (docs/supply-chain.md).</summary>
    public string? BaseImageLock { get; set; }
    public string? BaseImageLockedMode { get; set; }
    public string? BaseImageLockFile { get; set; }
    /// <summary>ContainerSigningKey: sign each manifest with this PEM ECDSA P-256 key (a Sigstore bundle referrer).</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// A multi-platform publish: one item per runtime identifier, with the <c>Json</c> metadata that
    /// <see cref="DescribeContainerPlatform"/> wrote in its inner build (what differs per platform). Empty: one image.
    /// </summary>
    public ITaskItem[] Platforms { get; set; } = [];
    /// <summary>ContainerPublishPlatformTags: also tag each platform's image &lt;tag&gt;-&lt;rid&gt; in the registry.</summary>
    public bool PlatformTags { get; set; }

    [Output] public string? GeneratedContainerManifest { get; private set; }
    [Output] public string? GeneratedContainerConfiguration { get; private set; }
    [Output] public string? GeneratedContainerDigest { get; private set; }
    [Output] public string? GeneratedContainerMediaType { get; private set; }
    [Output] public string? GeneratedArchiveOutputPath { get; private set; }
    [Output] public ITaskItem[] GeneratedContainerNames { get; private set; } = [];
    [Output] public string? GeneratedContainerIndex { get; private set; }
    [Output] public string? GeneratedContainerIndexDigest { get; private set; }
    [Output] public string? GeneratedContainerIndexMediaType { get; private set; }
    /// <summary>The SBOM files written beside the publish output, one per platform image.</summary>
    [Output] public ITaskItem[] GeneratedContainerSbom { get; private set; } = [];
    /// <summary>Each platform's image: the runtime identifier, with ManifestDigest, Manifest, Configuration and Platform metadata.</summary>
    [Output] public ITaskItem[] GeneratedPlatformImages { get; private set; } = [];

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        // A result left by an earlier publish must not pass for this one's if this one fails.
        if (!string.IsNullOrWhiteSpace(ResultFile)) PublishResultFile.Delete(ResultFile);
        var settings = Settings();
        using var publisher = new ContainerPublisher(EngineLog());
        if (Platforms.Length == 0)
        {
            var request = PublishRequestBuilder.Build(settings, LogCoded);
            var result = await publisher.PublishAsync(request, cancellationToken);
            SetOutputs(result);
            if (request.ResultFile is { } file) await PublishResultFile.WriteAsync(file, PublishResultFile.Describe(request, result.Names, result.Image, result.ArchivePath, result.Packages) with { Sbom = Nullable(result.SbomFiles) }, cancellationToken);
        }
        else
        {
            var builds = Platforms.Select(PlatformBuilds.Parse).ToList();
            var requests = builds.Select(build => PublishRequestBuilder.Build(PlatformBuilds.Apply(settings, build), LogCoded)).ToList();
            var result = await publisher.PublishIndexAsync(requests, PlatformTags, cancellationToken);
            SetOutputs(result, requests);
            if (requests[0].ResultFile is { } file) await PublishResultFile.WriteAsync(file, PublishResultFile.Describe(requests[0], result.Names, result.Index, result.ArchivePath, result.Packages) with { Sbom = Nullable(result.SbomFiles) }, cancellationToken);
        }
    }

    /// <summary>The task's parameters as the engine's settings, unchecked: the builder checks them.</summary>
    private ContainerSettings Settings() => new()
    {
        BaseImage = BaseImage,
        RuntimeIdentifier = ContainerRuntimeIdentifier,
        Repository = Repository,
        PublishDirectory = PublishDirectory,
        WorkingDirectory = WorkingDirectory,
        IntermediateDirectory = IntermediateDirectory,
        ImageFormat = ImageFormat,
        LocalRegistry = LocalRegistry,
        OutputRegistry = OutputRegistry,
        ImageTag = ImageTag,
        ImageTags = ImageTags,
        ArchiveOutputPath = ArchiveOutputPath,
        OciLayoutPath = OciLayoutPath,
        ExtraDestinations = ExtraDestinations,
        CacheDirectory = CacheDirectory,
        ResultFile = ResultFile,
        ProjectDirectory = ProjectDirectory,
        DepsFile = DepsFile,
        PackageRoot = PackageRoot,
        CacheFrom = CacheFrom,
        Entrypoint = Values(Entrypoint),
        EntrypointArgs = Values(EntrypointArgs),
        AppCommand = Values(AppCommand),
        AppCommandArgs = Values(AppCommandArgs),
        DefaultArgs = Values(DefaultArgs),
        AppCommandInstruction = AppCommandInstruction,
        Labels = Labels.Select(l => KeyValuePair.Create(l.ItemSpec, l.GetMetadata("Value"))).ToList(),
        EnvironmentVariables = EnvironmentVariables.Select(e => KeyValuePair.Create(e.ItemSpec, e.GetMetadata("Value"))).ToList(),
        Ports = ExposedPorts.Select(p => (p.ItemSpec, (string?)p.GetMetadata("Type"))).ToList(),
        User = ContainerUser,
        ImageCreated = ImageCreated,
        GenerateLabels = GenerateLabels,
        GenerateDigestLabel = GenerateDigestLabel,
        GenerateCreatedLabels = GenerateCreatedLabels,
        Layering = Layering,
        LayerCompression = LayerCompression,
        AppOwnedByUser = AppOwnedByUser,
        ExtraLayers = ExtraLayers.Select(l => (l.GetMetadata("FullPath") is { Length: > 0 } full ? full : l.ItemSpec,
            (string?)l.GetMetadata("TargetPath"), (string?)l.GetMetadata("Mode"), (string?)l.GetMetadata("Owner"))).ToList(),
        Packages = Packages.Select(p => (p.ItemSpec, (string?)p.GetMetadata("Version"))).ToList(),
        PackageSource = PackageSource,
        SourceDateEpoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"),
        Sbom = Sbom,
        SbomFormat = SbomFormat,
        Provenance = Provenance,
        SbomDirectory = SbomDirectory,
        SbomName = SbomName,
        ProjectAssetsFile = ProjectAssetsFile,
        SdkVersion = SdkVersion,
        BaseImageLock = BaseImageLock,
        BaseImageLockedMode = BaseImageLockedMode,
        BaseImageLockFile = BaseImageLockFile,
        SigningKey = SigningKey,
        CiEnvironment = Oci.SupplyChain.CiRun.Variables.Select(v => (Name: v, Value: Environment.GetEnvironmentVariable(v)))
            .Where(v => !string.IsNullOrEmpty(v.Value)).ToDictionary(v => v.Name, v => v.Value!),
    };

    private static IReadOnlyList<string>? Nullable(IReadOnlyList<string> files) => files.Count == 0 ? null : files;

    private void SetOutputs(ContainerPublishResult result)
    {
        GeneratedContainerManifest = Encoding.UTF8.GetString(result.Image.RawManifest);
        GeneratedContainerConfiguration = Encoding.UTF8.GetString(result.Image.RawConfig);
        GeneratedContainerDigest = result.Image.Digest.ToString();
        GeneratedContainerMediaType = result.Image.MediaType;
        GeneratedArchiveOutputPath = result.ArchivePath;
        GeneratedContainerNames = Items(result.Names);
        GeneratedContainerSbom = Items(result.SbomFiles);
    }

    private void SetOutputs(ContainerIndexPublishResult result, IReadOnlyList<ContainerPublishRequest> requests)
    {
        var index = result.Index;
        GeneratedContainerIndex = Encoding.UTF8.GetString(index.RawManifest);
        GeneratedContainerIndexDigest = index.Digest.ToString();
        GeneratedContainerIndexMediaType = index.MediaType;
        GeneratedArchiveOutputPath = result.ArchivePath;
        GeneratedContainerNames = Items(result.Names);
        GeneratedContainerSbom = Items(result.SbomFiles);
        GeneratedPlatformImages = index.Images.Select((image, i) =>
        {
            var item = new Microsoft.Build.Utilities.TaskItem(requests[i].RuntimeIdentifier);
            item.SetMetadata("ManifestDigest", image.Digest.ToString());
            item.SetMetadata("ManifestMediaType", image.MediaType);
            item.SetMetadata("Manifest", Encoding.UTF8.GetString(image.RawManifest));
            item.SetMetadata("Configuration", Encoding.UTF8.GetString(image.RawConfig));
            item.SetMetadata("Platform", index.Platforms[i].ToString());
            return (ITaskItem)item;
        }).ToArray();
    }

    private static ITaskItem[] Items(IEnumerable<string> names) => names.Select(n => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(n)).ToArray();
}
