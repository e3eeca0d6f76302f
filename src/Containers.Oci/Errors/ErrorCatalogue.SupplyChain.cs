namespace Containers.Oci.Errors;

/// <summary>The supply chain's codes (CONTAINER5600-5649): SBOM and provenance (5600-5609), the base image lock (5610-5619), signing (5620-5629).</summary>
public static partial class ErrorCatalogue
{
    public static readonly ContainerError UnknownSbomFormat = new("CONTAINER5600",
        "Unknown ContainerSbomFormat '{0}'. Valid values are CycloneDX and SPDX.",
        "Set ContainerSbomFormat to CycloneDX (CycloneDX 1.6 JSON, the default) or SPDX (SPDX 2.3 JSON), or ContainerSbom to false for none.");
    public static readonly ContainerError SbomInputUnreadable = new("CONTAINER5601",
        "The SBOM could not be made: '{0}' could not be read ({1}).",
        "Restore and publish the project again (dotnet publish -t:PublishContainer rewrites the file), or set ContainerSbom=false and ContainerProvenance=false.");
    public static readonly ContainerError SbomFileNotWritable = new("CONTAINER5602",
        "The SBOM file '{0}' cannot be written: {1}.",
        "Set ContainerSbomDirectory to a folder the build may write, or free the file (another process may hold it).");
    public static readonly ContainerError InvalidSupplyChainSwitch = new("CONTAINER5603",
        "Invalid {0} '{1}': it must be true or false.",
        "Set it to true or false, or remove it for its default (docs/properties.md).");

    public static readonly ContainerError ReferrersNotAttached = new("CONTAINER5604",
        "The image is published, but its SBOM, provenance or signature could not be attached in '{0}': {1}.",
        "The registry may not take OCI 1.1 artifacts (a manifest with a subject): upgrade it, publish to one that does, or set ContainerSbom=false and ContainerProvenance=false. The SBOM file beside the publish output is still written.",
        IsWarning: true);

    // The base image lock (ContainerBaseImageLock, ContainerBaseImageLockedMode): 5610-5619.
    public static readonly ContainerError BaseImageMoved = new("CONTAINER5610",
        "The base image '{0}' for {1} is now {2}, but '{3}' locks it at {4}: its tag has moved.",
        "If the new base is wanted, refresh the lock (dotnet msbuild -t:ContainerRefreshBaseImageLock) and commit the lock file; otherwise name the locked digest in ContainerBaseImage (…@sha256:…).");
    public static readonly ContainerError BaseImageNotLocked = new("CONTAINER5611",
        "ContainerBaseImageLockedMode is true, but '{0}' has no entry for the base image '{1}' on {2}.",
        "Refresh the lock file (dotnet msbuild -t:ContainerRefreshBaseImageLock) and commit it, or set ContainerBaseImageLockedMode to false.");
    public static readonly ContainerError BaseImageLockUnreadable = new("CONTAINER5612",
        "The base image lock file '{0}' cannot be read: {1}.",
        "Restore it from source control, or delete it and refresh it (dotnet msbuild -t:ContainerRefreshBaseImageLock).");
    public static readonly ContainerError BaseImageLockNotWritable = new("CONTAINER5613",
        "The base image lock file '{0}' cannot be written: {1}.",
        "Make the project folder writable, or point ContainerBaseImageLockFile at a writable file.");

    // Signing (ContainerSigningKey): 5620-5629.
    public static readonly ContainerError SigningKeyUnreadable = new("CONTAINER5620",
        "The signing key '{0}' cannot be used: {1}.",
        "Set ContainerSigningKey to a PEM file with an unencrypted ECDSA P-256 private key, for example one made by 'openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt'.");
}
