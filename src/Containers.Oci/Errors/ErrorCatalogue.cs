namespace Containers.Oci.Errors;

/// <summary>
/// Every error and warning this product reports. Codes shared with the SDK's built-in container support keep its
/// numbers (CONTAINER0000-4999); codes of our own are CONTAINER5000 and up. docs/errors.md lists the same catalogue.
/// A capability with codes of its own keeps them in a partial file beside this one (ErrorCatalogue.Area.cs).
/// </summary>
public static partial class ErrorCatalogue
{
    // 1xxx: registries and transport
    public static readonly ContainerError BlobUploadFailed = new("CONTAINER1001",
        "Uploading blob {0} to '{1}' failed: the registry answered {2}.");
    public static readonly ContainerError RegistryPushFailed = new("CONTAINER1005",
        "Pushing the manifest for '{0}' failed: the registry answered {1}.");
    public static readonly ContainerError LocalRegistryLoadFailed = new("CONTAINER1009",
        "Failed to load the image into {0}: '{1}' answered: {2}.",
        "Check that the engine is running and has room for the image, then publish again.");
    public static readonly ContainerError BaseImagePlatformNotFound = new("CONTAINER1011",
        "The base image '{0}' has no image for the platform {1} (runtime identifier '{2}'). It has: {3}.",
        "Choose a ContainerRuntimeIdentifier that the base image supports, or a base image that has this platform.");
    public static readonly ContainerError LocalRegistryUnavailable = new("CONTAINER1012",
        "The local registry is not available, but pushing to a local registry was requested: {0}.",
        "Start docker or podman (or set LocalRegistry to the one that runs), or publish elsewhere with ContainerRegistry, ContainerArchiveOutputPath or ContainerOciLayoutPath.");
    public static readonly ContainerError ManifestPullFailed = new("CONTAINER1014",
        "Reading the manifest of '{0}' failed: {1}.");
    public static readonly ContainerError RepositoryNotFound = new("CONTAINER1015",
        "The registry '{2}' has no image '{0}' with tag or digest '{1}'.",
        "Check the spelling of ContainerBaseImage, and that the image was pushed to that registry.")
        { Kind = FailureKind.NotFound };
    public static readonly ContainerError RegistryAccessDenied = new("CONTAINER1016",
        "The registry '{1}' refused access to the repository '{0}' ({2}); {3}.",
        "Provide credentials for this registry: docker login or podman login, or DOTNET_CONTAINER_REGISTRY_UNAME and DOTNET_CONTAINER_REGISTRY_PWORD (DOTNET_CONTAINER_PUSH_REGISTRY_* and DOTNET_CONTAINER_PULL_REGISTRY_* for only the destination or the base image), and check that they may use this repository.")
        { Kind = FailureKind.AccessDenied };
    public static readonly ContainerError RegistryUnreachable = new("CONTAINER1017",
        "Could not reach the registry '{0}': {1}.",
        "Check the registry's name and port, that it is running, and your network or proxy settings.")
        { Kind = FailureKind.Unreachable };
    public static readonly ContainerError BlobDownloadFailed = new("CONTAINER1018",
        "Downloading blob {0} from '{1}' failed: {2}.");

    // 2xxx: user input
    public static readonly ContainerError UnrecognizedMediaType = new("CONTAINER2001",
        "The registry returned a document of media type '{0}' for '{1}', which is not an image manifest or index.");
    public static readonly ContainerError UnknownLocalRegistryType = new("CONTAINER2002",
        "Unknown local registry type '{0}'. Valid local container registry types are {1}.");
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
    // CONTAINER2023 and 2027 are the SDK's too, but neither it nor we report them: an entrypoint without an instruction
    // means DefaultArgs (docs/errors.md).
    public static readonly ContainerError EntrypointArgsWithoutEntrypoint = new("CONTAINER2024",
        "ContainerEntrypointArgs are set without a ContainerEntrypoint.");
    public static readonly ContainerError AppCommandArgsWithoutAppCommand = new("CONTAINER2025",
        "ContainerAppCommandArgs are set without a ContainerAppCommand.");
    public static readonly ContainerError AppCommandSetButUnused = new("CONTAINER2026",
        "ContainerAppCommand and ContainerAppCommandArgs must be empty when ContainerAppCommandInstruction is '{0}'.");
    public static readonly ContainerError EntrypointConflictsWithAppCommand = new("CONTAINER2028",
        "ContainerEntrypoint cannot be combined with ContainerAppCommandInstruction '{0}'.");
    public static readonly ContainerError EntrypointArgsPreferAppCommandArgs = new("CONTAINER2029",
        "ContainerEntrypointArgs is deprecated.",
        "Use ContainerAppCommandArgs for arguments that are always passed, or ContainerDefaultArgs for arguments users may override.", IsWarning: true);
    public static readonly ContainerError InvalidImageFormat = new("CONTAINER2031",
        "ContainerImageFormat '{0}' is not supported. Supported formats are {1}.");
    public static readonly ContainerError RepositoryNameNormalized = new("CONTAINER2013",
        "'{0}' is not a valid repository name; using '{1}' instead.", IsWarning: true);
    public static readonly ContainerError InvalidRegistryName = new("CONTAINER2012",
        "'{0}' is not a valid registry host: {1}.",
        "Set ContainerRegistry to a host name with an optional port, for example 'localhost:5000' or 'myregistry.example.com'.");
    public static readonly ContainerError BaseImageWithoutRegistry = new("CONTAINER2020",
        "ContainerBaseImage '{0}' names no registry, so it is pulled from Docker Hub as '{1}'.",
        "Write the registry in front of the name, for example 'docker.io/library/ubuntu:24.04' or 'mcr.microsoft.com/dotnet/runtime:10.0'.", IsWarning: true);

    // 5xxx: our own
    public static readonly ContainerError InvalidWorkingDirectory = new("CONTAINER5002",
        "ContainerWorkingDirectory '{0}' is not an absolute path.",
        "Use an absolute Linux path such as '/app/'.");
    public static readonly ContainerError RegistryProtocolError = new("CONTAINER5003",
        "The registry '{0}' answered {1} to {2} {3}{4}.")
        { Kind = FailureKind.RegistryAnswer };
    public static readonly ContainerError DigestMismatch = new("CONTAINER5004",
        "The content of {0} from '{1}' does not match its digest (got {2}).",
        "The registry or a proxy corrupted the download; nothing was used. Try again.")
        { Kind = FailureKind.DigestMismatch };
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
    public static readonly ContainerError InvalidSourceDateEpoch = new("CONTAINER5010",
        "SOURCE_DATE_EPOCH '{0}' is not a number of seconds since 1970-01-01 UTC.",
        "Set it to whole seconds (for example the output of 'git log -1 --format=%ct'), or unset it.");
    public static readonly ContainerError AppOwnerNotNumeric = new("CONTAINER5011",
        "ContainerAppOwnedByUser needs a numeric user, but the image's user is '{0}'.",
        "Set ContainerUser to a uid (or uid:gid), or use a base image that sets APP_UID.");
    public static readonly ContainerError ZstdNeedsOci = new("CONTAINER5012",
        "zstd layers need OCI manifests, but ContainerImageFormat is 'Docker'.",
        "Set ContainerImageFormat to 'OCI', or ContainerLayerCompression to 'gzip'.");
    public static readonly ContainerError InvalidLayering = new("CONTAINER5013",
        "ContainerLayering '{0}' is not valid. Valid values are 'Auto' and 'Single'.");
    public static readonly ContainerError InvalidCompression = new("CONTAINER5014",
        "ContainerLayerCompression '{0}' is not valid. Valid values are 'gzip' and 'zstd'.");
    public static readonly ContainerError InvalidExtraLayer = new("CONTAINER5015",
        "The ContainerLayer item '{0}' is not valid: {1}.",
        "Give the file or folder as Include, an absolute TargetPath, and optionally Mode (octal, e.g. 0755) and Owner (uid or uid:gid).");
    // 51xx: registry transport, authentication and credentials
    public static readonly ContainerError RegistryRetriesExhausted = new("CONTAINER5100",
        "{0} to the registry '{1}' failed {2} times in {3}; the last answer was {4}.",
        "The registry or the network to it is failing; try again later. CONTAINERS_REGISTRY_MAX_RETRIES sets how often a request is tried again.");
    public static readonly ContainerError RegistryCertificateUntrusted = new("CONTAINER5101",
        "The registry '{0}' presented a TLS certificate that is not trusted: {1}.",
        "Trust its certificate authority (in the system store, or a PEM file named by CONTAINERS_REGISTRY_CA_BUNDLE), or, for a registry you control, list it in DOTNET_CONTAINER_INSECURE_REGISTRIES to skip verification.");
    public static readonly ContainerError CredentialsOverPlainHttp = new("CONTAINER5102",
        "The registry '{0}' asks for credentials, but {1} is plain HTTP on another machine, so they were not sent.",
        "Serve the registry over HTTPS, or set CONTAINERS_REGISTRY_ALLOW_HTTP_CREDENTIALS=true to send credentials over plain HTTP anyway.");
    public static readonly ContainerError CredentialHelperFailed = new("CONTAINER5103",
        "The credential helper '{0}' named in {1} failed for '{2}': {3}.",
        "Install the helper (it must be on PATH), log in again with it, or remove it from that file.");
    public static readonly ContainerError CredentialFileInvalid = new("CONTAINER5104",
        "The credentials file '{0}' could not be read: {1}.",
        "Fix or delete the file (docker login / podman login write it again).");
    public static readonly ContainerError TokenRequestFailed = new("CONTAINER5105",
        "Getting an access token for the registry '{0}' from {1} failed: {2}.");
    public static readonly ContainerError InvalidRegistrySetting = new("CONTAINER5106",
        "The registry setting {0} has the invalid value '{1}': {2}.");
    public static readonly ContainerError BlobUploadRetriesExhausted = new("CONTAINER5107",
        "Uploading blob {0} to '{1}' failed: {2} failed {3} times in a row in {4}; the last answer was {5}.",
        "The registry or the network to it is failing; try again later. CONTAINERS_REGISTRY_MAX_RETRIES sets how often a step is tried again, CONTAINERS_REGISTRY_CHUNK_SIZE how much each chunk sends.");
    public static readonly ContainerError RegistryTimedOut = new("CONTAINER5110",
        "The registry '{0}' did not {1} within {2} s; {3} sets this limit.",
        "Check that the registry is running and answering at that address. A registry that is only slow can be given more time: DOTNET_CONTAINER_REGISTRY_CONNECT_TIMEOUT (a connection) and DOTNET_CONTAINER_REGISTRY_RESPONSE_TIMEOUT (an answer, or the next bytes of one), in seconds.")
        { Kind = FailureKind.Unreachable };
    public static readonly ContainerError RegistrySpeaksPlainHttp = new("CONTAINER5111",
        "The registry '{0}' answered the TLS handshake at {1} in plain HTTP: it seems to serve plain HTTP on that port, not HTTPS.",
        "If the registry is meant to be reached over plain HTTP, list it (host:port) in DOTNET_CONTAINER_INSECURE_REGISTRIES; otherwise check the port, which may be the registry's HTTP one.");
    public static readonly ContainerError InvalidTokenRealm = new("CONTAINER5112",
        "The registry '{0}' asks for a bearer token from the realm '{1}', which is not an absolute http or https URL.",
        "The registry's authentication is misconfigured: the realm in its WWW-Authenticate challenge must be the token service's URL. Tell whoever runs it.");
    // 52xx: local engines, archives, OCI layouts, local base images and the content cache
    public static readonly ContainerError AmbiguousBaseImage = new("CONTAINER5200",
        "ContainerBaseImage '{0}' is ambiguous: it can mean {1}, or the registry image '{2}'.",
        "For the local image, write a path starting with '/' or './', or the image's name with its tag (e.g. 'podman:myapp:latest'); for the registry image, write its registry too (e.g. 'docker.io/library/podman:myapp').");
    public static readonly ContainerError InvalidBaseImageLocation = new("CONTAINER5201",
        "ContainerBaseImage '{0}' is not valid: {1}.",
        "Write a registry image ('registry/repository:tag') or a local one: 'oci-layout:PATH[:NAME|@DIGEST]', 'docker-archive:FILE[:NAME]', 'oci-archive:FILE[:NAME]', 'podman:NAME:TAG' or 'docker-daemon:NAME:TAG'.");
    public static readonly ContainerError BaseImageUnreadable = new("CONTAINER5202",
        "The base image '{0}' could not be read: {1}.");
    public static readonly ContainerError BaseImageNotInSource = new("CONTAINER5203",
        "'{0}' has no image {1}. It has: {2}.",
        "Name one of its images after the path, for example 'oci-layout:/path/to/layout:myapp:1.0'.")
        { Kind = FailureKind.NotFound };
    public static readonly ContainerError BaseImageNotChosen = new("CONTAINER5204",
        "'{0}' holds {1} images, so the one to build on must be named. It has: {2}.",
        "Name one after the path, for example 'oci-archive:/path/to/images.tar:myapp:1.0'.");
    public static readonly ContainerError BlobNotInSource = new("CONTAINER5205",
        "The blob {0} is not in {1}.",
        "The layout or archive is incomplete; write it again (skopeo copy, podman save, or ContainerOciLayoutPath).")
        { Kind = FailureKind.NotFound };
    public static readonly ContainerError LocalImageExportFailed = new("CONTAINER5206",
        "Exporting the base image '{0}' from {1} failed: '{2}' answered: {3}.",
        "Check the image's name ('podman images' or 'docker images' lists them), or pull it first.");
    public static readonly ContainerError ImageWriteFailed = new("CONTAINER5207",
        "Writing the image to '{0}' failed: {1}.",
        "Check that the folder is writable and the disk has room.");
    public static readonly ContainerError NotAnOciLayout = new("CONTAINER5208",
        "ContainerOciLayoutPath '{0}' cannot take the image: {1}.",
        "Choose a new or empty folder, or an OCI image layout (a folder with an 'oci-layout' file).");
    public static readonly ContainerError ConflictingDestinations = new("CONTAINER5209",
        "ContainerArchiveOutputPath ('{0}') and ContainerOciLayoutPath ('{1}') are both set, but a publish writes an image to one place.",
        "Set only one of them.");
    public static readonly ContainerError CacheWriteFailed = new("CONTAINER5210",
        "The content cache at '{0}' could not be written: {1}.",
        "Free some disk space, or set ContainerCacheDirectory (or the CONTAINERS_CACHE_DIR environment variable) to a writable folder.");
    public static readonly ContainerError InvalidCacheLimit = new("CONTAINER5211",
        "{0} '{1}' is not valid.",
        "Write a size such as '500MB' or '2GB' for ContainerCachePruneMaxSize, and an age such as '30d', '12h' or '7.00:00:00' for ContainerCachePruneMaxAge.");
    public static readonly ContainerError InvalidExtraDestination = new("CONTAINER5212",
        "ContainerExtraDestinations entry '{0}' is not valid: {1}.",
        "Write ';'-separated places: a registry repository without a tag ('registry.example.com/team/app': the publish's tags are used), 'oci-layout:PATH', 'oci-archive:FILE', 'docker-archive:FILE', 'podman:' or 'docker-daemon:'.");
    public static readonly ContainerError RebaseRefused = new("CONTAINER5213",
        "The image {0} cannot be moved onto the new base: {1}.",
        "Name the base the image was built on (its org.opencontainers.image.base.name and base.digest labels say which), and a new base of the same platform.");
    // 53xx: multi-platform images (image indexes)
    public static readonly ContainerError DuplicatePlatform = new("CONTAINER5300",
        "Two runtime identifiers give an image for the same platform {0}; an image index holds one image per platform.",
        "List each platform once in ContainerRuntimeIdentifiers (for example linux-x64 and linux-musl-x64 are both linux/amd64).");
    // 54xx: what may enter a layer (docs/security.md)
    public static readonly ContainerError InvalidImagePath = new("CONTAINER5400",
        "The path '{0}' in the image is not valid: {1}.",
        "Paths in the image, such as ContainerWorkingDirectory, are absolute Linux paths from the root like '/app/', with '/' between folder names and no '..' or '\\'.");
    public static readonly ContainerError LayerSourceNotAllowed = new("CONTAINER5401",
        "'{0}' is a {1}, which cannot be put in a layer; only files, folders and symbolic links can.",
        "Remove it from the publish folder or the ContainerLayer folder, or have whatever creates it create it elsewhere.");
    public static readonly ContainerError LayerSourceNameInvalid = new("CONTAINER5402",
        "The file '{0}' cannot be put in a layer: {1}.",
        "Rename it: a name in an image is valid UTF-8 and holds no '\\'.");
    public static readonly ContainerError DepsFileInvalid = new("CONTAINER5403",
        "The dependency file '{0}' cannot be read: {1}.",
        "Publish again (the SDK writes it as a JSON file), or set ContainerLayering to 'Single', which does not read it.");

    // 55xx: checked before anything is published (issue 12)
    public static readonly ContainerError ResultFileNotWritable = new("CONTAINER5500",
        "ContainerResultFile '{0}' cannot be written: {1}.",
        "Point ContainerResultFile at a file in a writable folder (the default is beside the publish folder), or make its folder writable.");
    public static readonly ContainerError BaseZstdNeedsOci = new("CONTAINER5501",
        "The base image '{0}' has zstd layers, which exist only in OCI manifests, but ContainerImageFormat is 'Docker'.",
        "Set ContainerImageFormat to 'OCI' (or leave it empty), or choose a base image whose layers are gzip.");

    // 552x: the project's own folders, written while the image is built (issue 12)
    public static readonly ContainerError LayerCacheWriteFailed = new("CONTAINER5520",
        "The layer cache at '{0}' could not be written: {1}.",
        "Free some disk space where the project's intermediate folder (obj/) is, or make that folder writable; the next publish writes the layer again.");

    public static readonly ContainerError UnexpectedFailure = new("CONTAINER5999",
        "Unexpected failure while building the container image: {0}.",
        "This is a bug in Containers.Build; please report it with this message.");

    /// <summary>Every entry, for the docs test that keeps docs/errors.md in step with this class.</summary>
    public static IEnumerable<ContainerError> All()
        => typeof(ErrorCatalogue).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ContainerError))
            .Select(f => (ContainerError)f.GetValue(null)!);
}
