namespace Containers.Oci.Errors;

/// <summary>The supply chain's codes (CONTAINER5600-5649): SBOM and provenance, and the base image lock.</summary>
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
        "Set it to true or false, or remove it for the default (true).");
}
