namespace Containers.Oci.Errors;

/// <summary>OS packages (ContainerPackage items, docs/packages.md): CONTAINER5800-5849.</summary>
public static partial class ErrorCatalogue
{
    public static readonly ContainerError PackageSourceMissing = new("CONTAINER5800",
        "ContainerPackage items were given, but the base image '{0}' has no apt source (no /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources with a 'deb' entry).",
        "Set ContainerPackageSource to 'URL SUITE COMPONENT[,COMPONENT...] KEYRING', for example 'http://mirror.example/debian bookworm main /usr/share/keyrings/debian-archive-keyring.gpg', or use a Debian or Ubuntu base image.");
    public static readonly ContainerError InvalidPackageSource = new("CONTAINER5801",
        "ContainerPackageSource '{0}' is not a package source: {1}.",
        "Write it as 'URL SUITE COMPONENT[,COMPONENT...] KEYRING': an http(s) URL, a suite such as 'bookworm', components such as 'main', and an OpenPGP keyring file on this machine.");
    public static readonly ContainerError PackageKeyringMissing = new("CONTAINER5802",
        "The keyring '{0}' that the package source '{1}' is signed by was found neither in the base image nor on this machine.",
        "Point Signed-By (or the keyring of ContainerPackageSource) at a keyring file that exists, for example /usr/share/keyrings/debian-archive-keyring.gpg.");
    public static readonly ContainerError PackageSignatureInvalid = new("CONTAINER5803",
        "The InRelease file of '{0}' cannot be trusted: {1}. Nothing was pushed.",
        "Check that the package source is the one you mean and that its keyring is current; a mirror or proxy that changes files makes this error.")
        { Kind = FailureKind.DigestMismatch };
    public static readonly ContainerError PackageIndexHashMismatch = new("CONTAINER5804",
        "The package index '{0}' of '{1}' does not match the SHA-256 that its signed InRelease gives ({2}). Nothing was pushed.",
        "A mirror or proxy changed the index, or the mirror is being updated; publish again later, or use another mirror.")
        { Kind = FailureKind.DigestMismatch };
    public static readonly ContainerError PackageFileHashMismatch = new("CONTAINER5805",
        "The package file of '{0}' ({1}) does not match the SHA-256 of the signed package index ({2}). Nothing was pushed.",
        "A mirror or proxy changed the file, or the mirror is being updated; publish again later, or use another mirror.")
        { Kind = FailureKind.DigestMismatch };
    public static readonly ContainerError PackageNotFound = new("CONTAINER5806",
        "The package '{0}' is not in the package sources of the image ({1}) for {2}.{3}",
        "Check the name in the ContainerPackage item; 'apt-cache search' on the same distribution finds packages by description.")
        { Kind = FailureKind.NotFound };
    public static readonly ContainerError PackageConflict = new("CONTAINER5807",
        "The packages '{0}' and '{1}' cannot be installed together: {2}.",
        "Remove one of the two ContainerPackage items, or the package that needs the other.");
    public static readonly ContainerError PackageDependencyUnsatisfiable = new("CONTAINER5808",
        "The package '{0}' needs '{1}', which no package of the sources ({2}) satisfies.",
        "Check the Version of the ContainerPackage items, and that the package sources are the ones the base image's distribution uses.");
    public static readonly ContainerError PackageRepositoryFailed = new("CONTAINER5809",
        "Reading '{0}' from the package source failed: {1}.",
        "Check the package source's URL, that it is reachable from this machine, and your network or proxy settings.")
        { Kind = FailureKind.Unreachable };
    public static readonly ContainerError PackageArchiveInvalid = new("CONTAINER5810",
        "The package file of '{0}' cannot be read: {1}.",
        "The file matched its signed hash, so the package itself is unusual; report it with the package's name and version.");
    public static readonly ContainerError PackageNeedsScripts = new("CONTAINER5811",
        "The package '{0}' does its work in maintainer scripts ({1}), which a publish does not run.",
        "Use a base image that already has the package, or build one with a Dockerfile; docs/packages.md lists what is handled without scripts.");
    public static readonly ContainerError InvalidPackageItem = new("CONTAINER5812",
        "The ContainerPackage item '{0}' is not valid: {1}.",
        "Give a Debian package name (lower-case letters, digits, '+', '-', '.') and optionally a Version metadata such as '72.1-3'.");
    public static readonly ContainerError PackageVersionNotFound = new("CONTAINER5813",
        "The package '{0}' has no version '{1}' in the package sources; they have {2}.",
        "Set the Version of the ContainerPackage item to one of those, or remove it to take the newest.")
        { Kind = FailureKind.NotFound };
    public static readonly ContainerError PackageIndexMissing = new("CONTAINER5814",
        "The package source '{0}' lists no package index for the component '{1}' and the architecture '{2}'.",
        "Check the components of the package source, and that the distribution has packages for this platform.");
}
