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
/// Builds the image for one runtime identifier and sends it to its destination. Thin: it turns MSBuild properties and
/// items into a validated <see cref="ContainerPublishRequest"/> (every input is checked before any network call) and
/// hands it to <see cref="ContainerPublisher"/>.
/// </summary>
public class PublishContainerImage : ContainerTask
{
    [Required] public string BaseImage { get; set; } = "";
    [Required] public string ContainerRuntimeIdentifier { get; set; } = "";
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
    /// <summary>The app's .deps.json in the publish folder.</summary>
    public string? DepsFile { get; set; }
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

    [Output] public string? GeneratedContainerManifest { get; private set; }
    [Output] public string? GeneratedContainerConfiguration { get; private set; }
    [Output] public string? GeneratedContainerDigest { get; private set; }
    [Output] public string? GeneratedContainerMediaType { get; private set; }
    [Output] public string? GeneratedArchiveOutputPath { get; private set; }
    [Output] public ITaskItem[] GeneratedContainerNames { get; private set; } = [];

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        // A result left by an earlier publish must not pass for this one's if this one fails.
        if (!string.IsNullOrWhiteSpace(ResultFile)) PublishResultFile.Delete(ResultFile);
        var request = CreateRequest();
        using var publisher = new ContainerPublisher(EngineLog());
        var result = await publisher.PublishAsync(request, cancellationToken);

        GeneratedContainerManifest = Encoding.UTF8.GetString(result.Image.RawManifest);
        GeneratedContainerConfiguration = Encoding.UTF8.GetString(result.Image.RawConfig);
        GeneratedContainerDigest = result.Image.Digest.ToString();
        GeneratedContainerMediaType = result.Image.MediaType;
        GeneratedArchiveOutputPath = result.ArchivePath;
        GeneratedContainerNames = result.Names.Select(n => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(n)).ToArray();
        if (!string.IsNullOrWhiteSpace(ResultFile)) await PublishResultFile.WriteAsync(ResultFile, ResultDocument(request, result), cancellationToken);
    }

    /// <summary>The ContainerResultFile contents: what CI scripts read instead of the log.</summary>
    private static PublishResultDocument ResultDocument(ContainerPublishRequest request, ContainerPublishResult result) => new()
    {
        Image = result.Names.Count > 0 ? result.Names[0] : request.Destination.Name.NameFor(request.Tags[0]),
        Names = result.Names,
        Registry = request.Destination.Name.Registry,
        Repository = request.Destination.Name.Repository,
        Tags = request.Tags,
        Digest = result.Image.Digest.ToString(),
        MediaType = result.Image.MediaType,
        Destination = PublishResultFile.DestinationKind(request.Destination.Location),
        Pushed = request.Destination.Location is RegistryLocation,
        ArchivePath = result.ArchivePath,
    };

    /// <summary>Checks and converts every input. Throws a coded error before anything touches the network.</summary>
    protected ContainerPublishRequest CreateRequest()
    {
        if (!Directory.Exists(PublishDirectory)) throw ErrorCatalogue.PublishDirectoryMissing.ToException(PublishDirectory);

        var repository = RepositoryName.Normalize(Repository.Trim(), out var normalized);
        if (normalized) LogCoded(ErrorCatalogue.RepositoryNameNormalized, ErrorCatalogue.RepositoryNameNormalized.Format(Repository, repository));
        var tags = InputParsers.ParseTags(ImageTag, ImageTags);
        var projectDirectory = string.IsNullOrWhiteSpace(ProjectDirectory) ? Directory.GetCurrentDirectory() : ProjectDirectory;
        var target = ImageTargetSelection.Choose(InputParsers.ParseRegistry(OutputRegistry), repository, ArchiveOutputPath, OciLayoutPath, LocalRegistry, projectDirectory);
        var baseImage = ImageLocation.Parse(BaseImage, projectDirectory);
        if (baseImage is RegistryLocation fromRegistry && !ImageReference.NamesRegistry(BaseImage))
        {
            LogCoded(ErrorCatalogue.BaseImageWithoutRegistry, ErrorCatalogue.BaseImageWithoutRegistry.Format(BaseImage.Trim(), fromRegistry.Reference));
        }

        var platform = InputParsers.ParsePlatform(ContainerRuntimeIdentifier);
        var appDirectory = InputParsers.ParseWorkingDirectory(WorkingDirectory);

        var ports = ExposedPorts.Select(p => InputParsers.ParsePort(p.ItemSpec, p.GetMetadata("Type"))).ToList();
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var item in EnvironmentVariables)
        {
            if (InputParsers.IsValidEnvironmentVariableName(item.ItemSpec))
            {
                environment.Add(new(item.ItemSpec, item.GetMetadata("Value")));
            }
            else
            {
                LogCoded(ErrorCatalogue.InvalidEnvironmentVariable, ErrorCatalogue.InvalidEnvironmentVariable.Format(item.ItemSpec));
            }
        }
        var labels = GenerateLabels || Labels.Length > 0
            ? Labels.Where(l => l.ItemSpec.Length > 0).Select(l => new KeyValuePair<string, string>(l.ItemSpec, l.GetMetadata("Value"))).ToList()
            : [];

        var commandInputs = new AppCommandInputs
        {
            Entrypoint = Values(Entrypoint),
            EntrypointArgs = Values(EntrypointArgs),
            DefaultArgs = Values(DefaultArgs),
            AppCommand = Values(AppCommand),
            AppCommandArgs = Values(AppCommandArgs),
            Instruction = AppCommandInstruction,
        };
        // Checked now, before any network call. The publisher decides it once the base's entrypoint is known, and warns
        // then about replacing that entrypoint (CONTAINER2022); every other warning is the input's own, so it is given here.
        var (entrypoint, cmd) = AppCommandResolver.Resolve(commandInputs, null,
            (error, message) => { if (error != ErrorCatalogue.BaseEntrypointOverwritten) LogCoded(error, message); });

        var created = ReproducibleTime.Resolve(ImageCreated, Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), () => DateTimeOffset.UtcNow,
            () => ProjectDirectory is null ? null : GitCommitTime.TryRead(ProjectDirectory));
        var settings = new ImageSettings
        {
            Entrypoint = entrypoint,
            Cmd = cmd,
            WorkingDirectory = WorkingDirectory,
            User = string.IsNullOrWhiteSpace(ContainerUser) ? null : ContainerUser.Trim(),
            Environment = environment,
            Labels = labels,
            Ports = ports,
            Created = created,
            // The publisher decides the final type, once the base's is known (see ContainerPublisher.ManifestMediaType).
            ManifestMediaType = InputParsers.ParseImageFormat(ImageFormat),
        };

        return new ContainerPublishRequest
        {
            BaseImage = baseImage,
            Platform = platform,
            RuntimeIdentifier = ContainerRuntimeIdentifier,
            PublishDirectory = PublishDirectory,
            AppDirectory = appDirectory,
            Settings = settings,
            Destination = target,
            ExtraDestinations = Oci.Publishing.ExtraDestinations.Parse(ExtraDestinations, target.Name, projectDirectory),
            CacheDirectory = string.IsNullOrWhiteSpace(CacheDirectory) ? null : Path.GetFullPath(CacheDirectory, projectDirectory),
            Tags = tags,
            WorkDirectory = IntermediateDirectory,
            Layering = LayerInputs.ParseLayering(Layering),
            Compression = LayerInputs.ParseCompression(LayerCompression),
            AppOwnedByUser = AppOwnedByUser,
            ExtraLayers = ExtraLayers.Select(l => LayerInputs.ParseExtraLayer(l.GetMetadata("FullPath") is { Length: > 0 } full ? full : l.ItemSpec,
                l.GetMetadata("TargetPath"), l.GetMetadata("Mode"), l.GetMetadata("Owner"))).ToList(),
            DepsFile = string.IsNullOrWhiteSpace(DepsFile) ? null : DepsFile,
            AddBaseDigestLabel = GenerateLabels && GenerateDigestLabel,
            AddCreatedLabels = GenerateLabels && GenerateCreatedLabels,
            AppCommand = commandInputs,
            ResultFile = string.IsNullOrWhiteSpace(ResultFile) ? null : ResultFile,
        };
    }
}
