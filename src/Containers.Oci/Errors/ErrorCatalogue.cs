namespace Containers.Oci.Errors;

/// <summary>
/// Every error and warning this product reports. Codes shared with the SDK's built-in container support keep its
/// numbers (CONTAINER0000-4999); codes of our own are CONTAINER5000 and up. docs/errors.md lists the same catalogue.
/// </summary>
public static class ErrorCatalogue
{
    // 1xxx: registries and transport
    public static readonly ContainerError BlobUploadFailed = new("CONTAINER1001",
        "Uploading blob {0} to '{1}' failed: the registry answered {2}.");
    public static readonly ContainerError RegistryPushFailed = new("CONTAINER1005",
        "Pushing the manifest for '{0}' failed: the registry answered {1}.");
    public static readonly ContainerError BaseImagePlatformNotFound = new("CONTAINER1011",
        "The base image '{0}' has no image for the platform {1} (runtime identifier '{2}'). It has: {3}.",
        "Choose a ContainerRuntimeIdentifier that the base image supports, or a base image that has this platform.");
    public static readonly ContainerError ManifestPullFailed = new("CONTAINER1014",
        "Reading the manifest of '{0}' failed: {1}.");
    public static readonly ContainerError RepositoryNotFound = new("CONTAINER1015",
        "The registry '{2}' has no image '{0}' with tag or digest '{1}'.",
        "Check the spelling of ContainerBaseImage, and that the image was pushed to that registry.");
    public static readonly ContainerError RegistryAccessDenied = new("CONTAINER1016",
        "The registry '{1}' refused access to the repository '{0}' ({2}).",
        "Provide credentials for this registry (docker login / podman login, or DOTNET_CONTAINER_REGISTRY_UNAME and DOTNET_CONTAINER_REGISTRY_PWORD).");
    public static readonly ContainerError RegistryUnreachable = new("CONTAINER1017",
        "Could not reach the registry '{0}': {1}.",
        "Check the registry's name and port, that it is running, and your network or proxy settings.");
    public static readonly ContainerError BlobDownloadFailed = new("CONTAINER1018",
        "Downloading blob {0} from '{1}' failed: {2}.");

    // 2xxx: user input
    public static readonly ContainerError UnrecognizedMediaType = new("CONTAINER2001",
        "The registry returned a document of media type '{0}' for '{1}', which is not an image manifest or index.");
    public static readonly ContainerError InvalidRepositoryName = new("CONTAINER2005",
        "'{0}' is not a valid repository name: {1}.",
        "Set ContainerRepository to lower-case letters, digits and separators ('.', '_', '__', '-', '/'), starting and ending with a letter or digit, for example 'my-app' or 'team/my-app'.");
    public static readonly ContainerError InvalidTag = new("CONTAINER2007",
        "Invalid {0} '{1}': a tag is 1 to 128 letters, digits, '_', '.' or '-', and does not start with '.' or '-'.",
        "Change the tag, for example to '1.0.0' or 'latest'.");
    public static readonly ContainerError AmbiguousTags = new("CONTAINER2008",
        "Both {0} and {1} are set; set only one of them.");
    public static readonly ContainerError InvalidImageReference = new("CONTAINER2009",
        "Could not parse the image reference '{0}': {1}.",
        "Write it as [registry/]repository[:tag][@digest], for example 'mcr.microsoft.com/dotnet/runtime:10.0'.");
    public static readonly ContainerError InvalidTags = new("CONTAINER2010",
        "Invalid {0} '{1}': it must be a ';'-separated list of tags, each 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'.");
    public static readonly ContainerError PublishDirectoryMissing = new("CONTAINER2011",
        "The publish folder '{0}' does not exist.",
        "Run the Publish target first (dotnet publish -t:PublishContainer does this).");
    public static readonly ContainerError InvalidSdkPrereleaseVersion = new("CONTAINER2018",
        "The SDK's prerelease channel '{0}' is unknown; only 'preview' and 'rc' (with a number) have base image tags.",
        "Set ContainerBaseImage explicitly.");
    public static readonly ContainerError InvalidSdkVersion = new("CONTAINER2019",
        "'{0}' is not a valid SDK version.", "Set ContainerBaseImage explicitly.");
    public static readonly ContainerError InvalidEnvironmentVariable = new("CONTAINER2015",
        "'{0}' is not a valid environment variable name and is ignored.",
        "Use letters, digits and '_', not starting with a digit.", IsWarning: true);
    public static readonly ContainerError MissingPortNumber = new("CONTAINER2016",
        "A ContainerPort item has no port number.",
        "Write the number as the item's Include, for example <ContainerPort Include=\"8080\" Type=\"tcp\" />.");
    public static readonly ContainerError InvalidPort = new("CONTAINER2017",
        "The ContainerPort item '{0}' (Type '{1}') is not valid.",
        "A port is a number from 1 to 65535 with a Type of 'tcp' (the default) or 'udp'.");
    public static readonly ContainerError UnknownAppCommandInstruction = new("CONTAINER2021",
        "Unknown ContainerAppCommandInstruction '{0}'. Valid values are {1}.");
    public static readonly ContainerError BaseEntrypointOverwritten = new("CONTAINER2022",
        "The base image's entrypoint is replaced by the app's command.",
        "Set ContainerAppCommandInstruction to 'Entrypoint' to do this without a warning, or to 'DefaultArgs' to keep the base's entrypoint.", IsWarning: true);
    public static readonly ContainerError EntrypointAndAppCommandArgsNeedInstruction = new("CONTAINER2023",
        "ContainerEntrypoint and ContainerAppCommandArgs are both set, so ContainerAppCommandInstruction must say how the app starts. Valid values are {0}.");
    public static readonly ContainerError EntrypointArgsWithoutEntrypoint = new("CONTAINER2024",
        "ContainerEntrypointArgs are set without a ContainerEntrypoint.");
    public static readonly ContainerError AppCommandArgsWithoutAppCommand = new("CONTAINER2025",
        "ContainerAppCommandArgs are set without a ContainerAppCommand.");
    public static readonly ContainerError AppCommandSetButUnused = new("CONTAINER2026",
        "ContainerAppCommand and ContainerAppCommandArgs must be empty when ContainerAppCommandInstruction is '{0}'.");
    public static readonly ContainerError EntrypointNeedsInstruction = new("CONTAINER2027",
        "ContainerEntrypoint is set, so ContainerAppCommandInstruction must say how the app starts. Valid values are {0}.");
    public static readonly ContainerError EntrypointConflictsWithAppCommand = new("CONTAINER2028",
        "ContainerEntrypoint cannot be combined with ContainerAppCommandInstruction '{0}'.");
    public static readonly ContainerError EntrypointArgsPreferAppCommandArgs = new("CONTAINER2029",
        "ContainerEntrypointArgs is deprecated.",
        "Use ContainerAppCommandArgs for arguments that are always passed, or ContainerDefaultArgs for arguments users may override.", IsWarning: true);
    public static readonly ContainerError InvalidImageFormat = new("CONTAINER2031",
        "ContainerImageFormat '{0}' is not supported. Supported formats are {1}.");
    public static readonly ContainerError RepositoryNameNormalized = new("CONTAINER2013",
        "'{0}' is not a valid repository name; using '{1}' instead.", IsWarning: true);

    // 5xxx: our own
    public static readonly ContainerError InvalidRegistryName = new("CONTAINER5001",
        "'{0}' is not a valid registry host: {1}.",
        "Set ContainerRegistry to a host name with an optional port, for example 'localhost:5000' or 'myregistry.example.com'.");
    public static readonly ContainerError InvalidWorkingDirectory = new("CONTAINER5002",
        "ContainerWorkingDirectory '{0}' is not an absolute path.",
        "Use an absolute Linux path such as '/app/'.");
    public static readonly ContainerError RegistryProtocolError = new("CONTAINER5003",
        "The registry '{0}' answered {1} to {2} {3}{4}.");
    public static readonly ContainerError DigestMismatch = new("CONTAINER5004",
        "The content of {0} from '{1}' does not match its digest (got {2}).",
        "The registry or a proxy corrupted the download; nothing was used. Try again.");
    public static readonly ContainerError LayerSourceMissing = new("CONTAINER5005",
        "The file '{0}' planned for the layer at '{1}' does not exist.");
    public static readonly ContainerError MixedMuslRuntimeIdentifiers = new("CONTAINER5006",
        "The runtime identifiers '{0}' mix musl (Alpine) and glibc targets, which need different base images.",
        "Publish musl and glibc runtime identifiers separately, or set ContainerBaseImage.");
    public static readonly ContainerError InvalidImageCreated = new("CONTAINER5007",
        "ContainerImageCreated '{0}' is not a time.",
        "Use 'now', seconds since 1970-01-01 UTC, or an ISO 8601 date such as '2026-01-31T12:00:00Z'; leave it empty for a reproducible time.");
    public static readonly ContainerError UnsupportedRuntimeIdentifier = new("CONTAINER5008",
        "The runtime identifier '{0}' has no container platform.",
        "Use a Linux or Windows runtime identifier such as 'linux-x64' or 'linux-arm64' for ContainerRuntimeIdentifier.");
    public static readonly ContainerError LocalDestinationNotSupported = new("CONTAINER5009",
        "Publishing to {0} is not supported yet; this version pushes to registries only.",
        "Set ContainerRegistry to the registry to push to, for example 'localhost:5000'.");
    public static readonly ContainerError InvalidSourceDateEpoch = new("CONTAINER5010",
        "SOURCE_DATE_EPOCH '{0}' is not a number of seconds since 1970-01-01 UTC.",
        "Set it to whole seconds (for example the output of 'git log -1 --format=%ct'), or unset it.");
    public static readonly ContainerError UnexpectedFailure = new("CONTAINER5999",
        "Unexpected failure while building the container image: {0}.",
        "This is a bug in Containers.Build; please report it with this message.");

    /// <summary>Every entry, for the docs test that keeps docs/errors.md in step with this class.</summary>
    public static IEnumerable<ContainerError> All()
        => typeof(ErrorCatalogue).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ContainerError))
            .Select(f => (ContainerError)f.GetValue(null)!);
}
