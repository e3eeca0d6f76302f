using Containers.Oci.Errors;

namespace Containers.Oci.SupplyChain;

/// <summary>The SBOM's format: CycloneDX 1.6 JSON (the default) or SPDX 2.3 JSON.</summary>
public enum SbomFormat { CycloneDx, Spdx }

/// <summary>
/// What a publish makes about its images besides the images (all checked before any work): an SBOM in which format,
/// a provenance statement, where the SBOM file goes, and the inputs only the build knows (assets file, SDK, CI run).
/// </summary>
public sealed record SupplyChainOptions
{
    /// <summary>No documents: what callers of the engine get unless they ask.</summary>
    public static readonly SupplyChainOptions None = new() { Sbom = null, Provenance = false };

    /// <summary>The SBOM's format, or null for no SBOM.</summary>
    public required SbomFormat? Sbom { get; init; }
    public required bool Provenance { get; init; }

    /// <summary>The project's obj/project.assets.json (package hashes, package folders).</summary>
    public string? AssetsFile { get; init; }

    /// <summary>Where the SBOM file is written beside the publish output, and the name it starts with; null: no file.</summary>
    public string? SbomDirectory { get; init; }
    public string SbomName { get; init; } = "app";

    public string? SdkVersion { get; init; }
    public CiRun? Run { get; init; }

    /// <summary>The project folder, for the git source of the provenance.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>ContainerSigningKey: a PEM file with an ECDSA P-256 private key; null: images are not signed.</summary>
    public string? SigningKey { get; init; }

    public bool Any => Sbom is not null || Provenance || SigningKey is not null;

    /// <summary>ContainerSbom, ContainerSbomFormat and ContainerProvenance as written; empty means the default (both on, CycloneDX).</summary>
    public static (SbomFormat? Sbom, bool Provenance) Parse(string? sbom, string? format, string? provenance)
    {
        var sbomOn = Switch("ContainerSbom", sbom);
        var provenanceOn = Switch("ContainerProvenance", provenance);
        SbomFormat chosen = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "cyclonedx" or "cyclonedx-json" or "cdx" => SbomFormat.CycloneDx,
            "spdx" or "spdx-json" => SbomFormat.Spdx,
            _ => throw ErrorCatalogue.UnknownSbomFormat.ToException(format),
        };
        return (sbomOn ? chosen : null, provenanceOn);
    }

    /// <summary>A true/false property of this area; empty is <paramref name="empty"/>, anything else CONTAINER5603.</summary>
    public static bool Switch(string property, string? value, bool empty = true) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => empty,
        "true" => true,
        "false" => false,
        _ => throw ErrorCatalogue.InvalidSupplyChainSwitch.ToException(property, value),
    };

    /// <summary>The SBOM file for one platform: <c>&lt;name&gt;[.&lt;rid&gt;].cdx.json</c> or <c>.spdx.json</c>.</summary>
    public string? SbomPath(string? runtimeIdentifier)
    {
        if (Sbom is not { } format || SbomDirectory is null) return null;
        var rid = runtimeIdentifier is null ? "" : "." + runtimeIdentifier;
        return Path.Combine(SbomDirectory, $"{SbomName}{rid}.{(format == SbomFormat.Spdx ? "spdx" : "cdx")}.json");
    }
}
