using System.Text;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Microsoft.Build.Framework;

namespace Containers.Build.Tasks;

/// <summary>
/// Builds the image for one runtime identifier and sends it to its destination. Thin: it turns MSBuild properties and
/// items into a validated <see cref="ContainerPublishRequest"/> (every input is checked before any network call) and
/// hands it to <see cref="ContainerPublisher"/>.
/// </summary>
public sealed class PublishContainerImage : ContainerTask
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

    [Output] public string? GeneratedContainerManifest { get; private set; }
    [Output] public string? GeneratedContainerConfiguration { get; private set; }
    [Output] public string? GeneratedContainerDigest { get; private set; }
    [Output] public string? GeneratedContainerMediaType { get; private set; }
    [Output] public string? GeneratedArchiveOutputPath { get; private set; }
    [Output] public ITaskItem[] GeneratedContainerNames { get; private set; } = [];

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var request = CreateRequest();
        using var publisher = new ContainerPublisher(new MSBuildLog(Log));
        var result = await publisher.PublishAsync(request, cancellationToken);

        GeneratedContainerManifest = Encoding.UTF8.GetString(result.Image.Manifest);
        GeneratedContainerConfiguration = Encoding.UTF8.GetString(result.Image.Config);
        GeneratedContainerDigest = result.Image.ManifestDigest.ToString();
        GeneratedContainerMediaType = result.Image.ManifestMediaType;
        GeneratedContainerNames = result.Names.Select(n => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(n)).ToArray();
    }

    /// <summary>Checks and converts every input. Throws a coded error before anything touches the network.</summary>
    private ContainerPublishRequest CreateRequest()
    {
        if (!Directory.Exists(PublishDirectory)) throw ErrorCatalogue.PublishDirectoryMissing.ToException(PublishDirectory);

        var repository = RepositoryName.Normalize(Repository.Trim(), out var normalized);
        if (normalized) LogCoded(ErrorCatalogue.RepositoryNameNormalized, ErrorCatalogue.RepositoryNameNormalized.Format(Repository, repository));
        var tags = InputParsers.ParseTags(ImageTag, ImageTags);
        var registry = InputParsers.ParseRegistry(OutputRegistry)
                       ?? throw ErrorCatalogue.LocalDestinationNotSupported.ToException(string.IsNullOrWhiteSpace(LocalRegistry) ? "a local daemon" : LocalRegistry);
        var baseImage = ImageReference.Parse(BaseImage.Trim());

        if (!Platform.TryFromRuntimeIdentifier(ContainerRuntimeIdentifier, out var platform))
        {
            throw ErrorCatalogue.UnsupportedRuntimeIdentifier.ToException(ContainerRuntimeIdentifier);
        }
        if (!WorkingDirectory.StartsWith('/')) throw ErrorCatalogue.InvalidWorkingDirectory.ToException(WorkingDirectory);

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
        var (entrypoint, cmd) = AppCommandResolver.Resolve(commandInputs, null, (error, message) => LogCoded(error, message));

        var created = ReproducibleTime.Resolve(ImageCreated, Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), () => DateTimeOffset.UtcNow);
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
            ManifestMediaType = ParseImageFormat(ImageFormat),
        };

        return new ContainerPublishRequest
        {
            BaseImage = baseImage,
            Platform = platform,
            RuntimeIdentifier = ContainerRuntimeIdentifier,
            PublishDirectory = PublishDirectory,
            AppDirectory = ImagePath.AsDirectory(WorkingDirectory),
            Settings = settings,
            Destination = new ImageReference(registry, repository),
            Tags = tags,
            WorkDirectory = IntermediateDirectory,
            AddBaseDigestLabel = GenerateLabels && GenerateDigestLabel,
            AddCreatedLabels = GenerateLabels && GenerateCreatedLabels,
        };
    }

    private static string? ParseImageFormat(string? format) => format?.Trim() switch
    {
        null or "" => null,
        var f when f.Equals("OCI", StringComparison.OrdinalIgnoreCase) => MediaTypes.OciManifest,
        var f when f.Equals("Docker", StringComparison.OrdinalIgnoreCase) => MediaTypes.DockerManifest,
        var f => throw ErrorCatalogue.InvalidImageFormat.ToException(f, "OCI, Docker"),
    };
}
