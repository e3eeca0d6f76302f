using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Stores;
using Containers.Oci.SupplyChain;

namespace Containers.Oci.Publishing;

/// <summary>
/// Checks and converts every setting of a publish, the SDK's way: a coded error before anything touches the network,
/// and the inputs' warnings (normalised repository, dropped variables, the app command's) through <c>warn</c>.
/// The MSBuild task and a CLI share it, so a setting means the same in both.
/// </summary>
public static class PublishRequestBuilder
{
    public static ContainerPublishRequest Build(ContainerSettings s, Action<ContainerError, string> warn)
    {
        if (!Directory.Exists(s.PublishDirectory)) throw ErrorCatalogue.PublishDirectoryMissing.ToException(s.PublishDirectory);

        var repository = RepositoryName.Normalize(s.Repository.Trim(), out var normalized);
        if (normalized) warn(ErrorCatalogue.RepositoryNameNormalized, ErrorCatalogue.RepositoryNameNormalized.Format(s.Repository, repository));
        var tags = InputParsers.ParseTags(s.ImageTag, s.ImageTags);
        var projectDirectory = string.IsNullOrWhiteSpace(s.ProjectDirectory) ? Directory.GetCurrentDirectory() : s.ProjectDirectory;
        var target = ImageTargetSelection.Choose(InputParsers.ParseRegistry(s.OutputRegistry), repository, s.ArchiveOutputPath, s.OciLayoutPath, s.LocalRegistry, projectDirectory);
        var baseImage = ImageLocation.Parse(s.BaseImage, projectDirectory);
        if (baseImage is RegistryLocation fromRegistry && !ImageReference.NamesRegistry(s.BaseImage))
        {
            warn(ErrorCatalogue.BaseImageWithoutRegistry, ErrorCatalogue.BaseImageWithoutRegistry.Format(s.BaseImage.Trim(), fromRegistry.Reference));
        }

        var platform = InputParsers.ParsePlatform(s.RuntimeIdentifier);
        var (sbom, provenance) = SupplyChainOptions.Parse(s.Sbom, s.SbomFormat, s.Provenance);
        // The key is read now, so a wrong one fails before any work (CONTAINER5620); the publish reads it again to sign.
        var signingKey = string.IsNullOrWhiteSpace(s.SigningKey) ? null : Path.GetFullPath(s.SigningKey, projectDirectory);
        if (signingKey is not null) ManifestSigner.Load(signingKey).Dispose();
        var lockedMode = SupplyChainOptions.Switch("ContainerBaseImageLockedMode", s.BaseImageLockedMode, empty: false);
        var useLock = SupplyChainOptions.Switch("ContainerBaseImageLock", s.BaseImageLock, empty: false) || lockedMode;
        var lockFile = Path.GetFullPath(string.IsNullOrWhiteSpace(s.BaseImageLockFile) ? BaseImageLockRefresher.DefaultFileName : s.BaseImageLockFile, projectDirectory);
        var appDirectory = InputParsers.ParseWorkingDirectory(s.WorkingDirectory);
        var ports = s.Ports.Select(p => InputParsers.ParsePort(p.Number, p.Type)).ToList();
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var variable in s.EnvironmentVariables)
        {
            if (InputParsers.IsValidEnvironmentVariableName(variable.Key)) environment.Add(variable);
            else warn(ErrorCatalogue.InvalidEnvironmentVariable, ErrorCatalogue.InvalidEnvironmentVariable.Format(variable.Key));
        }
        var labels = s.GenerateLabels || s.Labels.Count > 0 ? s.Labels.Where(l => l.Key.Length > 0).ToList() : [];

        var commandInputs = new AppCommandInputs
        {
            Entrypoint = NonEmpty(s.Entrypoint),
            EntrypointArgs = NonEmpty(s.EntrypointArgs),
            DefaultArgs = NonEmpty(s.DefaultArgs),
            AppCommand = NonEmpty(s.AppCommand),
            AppCommandArgs = NonEmpty(s.AppCommandArgs),
            Instruction = s.AppCommandInstruction,
        };
        // Checked now, before any network call. The publisher decides it once the base's entrypoint is known, and warns
        // then about replacing that entrypoint (CONTAINER2022); every other warning is the input's own, so it is given here.
        var (entrypoint, cmd) = AppCommandResolver.Resolve(commandInputs, null,
            (error, message) => { if (error != ErrorCatalogue.BaseEntrypointOverwritten) warn(error, message); });

        var created = ReproducibleTime.Resolve(s.ImageCreated, s.SourceDateEpoch, () => DateTimeOffset.UtcNow,
            () => s.ProjectDirectory is null ? null : GitCommitTime.TryRead(s.ProjectDirectory));
        var settings = new ImageSettings
        {
            Entrypoint = entrypoint,
            Cmd = cmd,
            WorkingDirectory = s.WorkingDirectory,
            User = string.IsNullOrWhiteSpace(s.User) ? null : s.User.Trim(),
            Environment = environment,
            Labels = labels,
            Ports = ports,
            Created = created,
            // The publisher decides the final type, once the base's is known (see ContainerPublisher.ManifestMediaType).
            ManifestMediaType = InputParsers.ParseImageFormat(s.ImageFormat),
        };

        return new ContainerPublishRequest
        {
            BaseImage = baseImage,
            Platform = platform,
            RuntimeIdentifier = s.RuntimeIdentifier,
            PublishDirectory = s.PublishDirectory,
            AppDirectory = appDirectory,
            Settings = settings,
            Destination = target,
            ExtraDestinations = ExtraDestinations.Parse(s.ExtraDestinations, target.Name, projectDirectory),
            CacheDirectory = string.IsNullOrWhiteSpace(s.CacheDirectory) ? null : Path.GetFullPath(s.CacheDirectory, projectDirectory),
            Tags = tags,
            WorkDirectory = s.IntermediateDirectory,
            Layering = LayerInputs.ParseLayering(s.Layering),
            Compression = LayerInputs.ParseCompression(s.LayerCompression),
            AppOwnedByUser = s.AppOwnedByUser,
            ExtraLayers = s.ExtraLayers.Select(l => LayerInputs.ParseExtraLayer(l.Source, l.TargetPath, l.Mode, l.Owner)).ToList(),
            DepsFile = string.IsNullOrWhiteSpace(s.DepsFile) ? null : s.DepsFile,
            PackageRoot = string.IsNullOrWhiteSpace(s.PackageRoot) ? null : s.PackageRoot,
            CacheFrom = CacheFromSources.Parse(s.CacheFrom),
            AddBaseDigestLabel = s.GenerateLabels && s.GenerateDigestLabel,
            AddCreatedLabels = s.GenerateLabels && s.GenerateCreatedLabels,
            AppCommand = commandInputs,
            ResultFile = string.IsNullOrWhiteSpace(s.ResultFile) ? null : s.ResultFile,
            Packages = s.Packages.Select(p => Packages.PackageRequest.Parse(p.Name, p.Version)).DistinctBy(p => p.Name).ToList(),
            PackageSources = string.IsNullOrWhiteSpace(s.PackageSource) ? [] : Packages.AptSource.ParseProperty(s.PackageSource, projectDirectory),
            BaseImageLock = useLock ? new BaseImageLockOptions(lockFile, lockedMode) : null,
            SupplyChain = new SupplyChainOptions
            {
                Sbom = sbom,
                Provenance = provenance,
                AssetsFile = string.IsNullOrWhiteSpace(s.ProjectAssetsFile) ? null : s.ProjectAssetsFile,
                SbomDirectory = string.IsNullOrWhiteSpace(s.SbomDirectory) ? null : Path.GetFullPath(s.SbomDirectory, projectDirectory),
                SbomName = string.IsNullOrWhiteSpace(s.SbomName) ? repository.Split('/')[^1] : s.SbomName,
                SdkVersion = string.IsNullOrWhiteSpace(s.SdkVersion) ? null : s.SdkVersion,
                Run = CiRun.From(s.CiEnvironment),
                ProjectDirectory = s.ProjectDirectory,
                SigningKey = signingKey,
            },
        };
    }

    private static string[] NonEmpty(IReadOnlyList<string> values) => values.Where(v => v.Length > 0).ToArray();
}
