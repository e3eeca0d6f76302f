namespace Containers.Oci.SupplyChain;

/// <summary>What a component of the app is, which decides how the SBOM names it.</summary>
public enum ComponentKind
{
    /// <summary>The app itself: the project being published.</summary>
    Application,
    /// <summary>A NuGet package that ships in the image.</summary>
    Package,
    /// <summary>A project reference of the app.</summary>
    Project,
    /// <summary>The .NET runtime: a runtime pack (self-contained) or the base image's shared framework.</summary>
    Runtime,
}

/// <summary>
/// One piece of software in the app, keyed by <see cref="Key"/> (<c>Name/Version</c>, as the .deps.json names it) so
/// that the dependency graph can name it. Plain data: the writers turn it into CycloneDX or SPDX.
/// </summary>
public sealed record AppComponent
{
    public required ComponentKind Kind { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }

    /// <summary>The package's SHA-512 as hex (from the assets file), or null when unknown (projects, some runtime packs).</summary>
    public string? Sha512 { get; init; }

    /// <summary>An SPDX licence expression from the package's nuspec, or null.</summary>
    public string? License { get; init; }

    public string? ProjectUrl { get; init; }

    /// <summary>True when the component is a NuGet package, so <c>pkg:nuget/Name@Version</c> names it.</summary>
    public bool IsNuGetPackage => Kind is ComponentKind.Package || (Kind is ComponentKind.Runtime && Sha512 is not null);

    /// <summary>The keys of the components this one depends on, sorted.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public string Key => $"{Name}/{Version}";
}

/// <summary>A package the base image's package manager recorded (dpkg's database).</summary>
public sealed record OsPackage(string Name, string Version, string? Architecture, string? Source);

/// <summary>What the base image says about itself: where it came from, its OS packages, the .NET it carries.</summary>
public sealed record BaseImageFacts
{
    /// <summary>The base as the user named it, e.g. <c>mcr.microsoft.com/dotnet/aspnet:10.0</c>.</summary>
    public required string Reference { get; init; }

    /// <summary>The platform image's manifest digest.</summary>
    public required string Digest { get; init; }

    /// <summary>The distribution's id from os-release (<c>debian</c>, <c>ubuntu</c>), or null when the image has none.</summary>
    public string? OsId { get; init; }

    public string? OsVersion { get; init; }

    public IReadOnlyList<OsPackage> OsPackages { get; init; } = [];

    /// <summary>The shared frameworks the base's environment names (DOTNET_VERSION, ASPNET_VERSION), name and version.</summary>
    public IReadOnlyList<(string Name, string Version)> Frameworks { get; init; } = [];
}

/// <summary>Everything an SBOM says about one platform image. Same facts, same bytes.</summary>
public sealed record SbomFacts
{
    /// <summary>The image's manifest digest: the SBOM's subject, and the seed of its serial number.</summary>
    public required string ImageDigest { get; init; }

    /// <summary>Where the image went, <c>registry/repository</c> (no tag: tags move, the digest does not).</summary>
    public required string ImageName { get; init; }

    public required string Platform { get; init; }

    /// <summary>The image's creation time, the SBOM's timestamp (reproducible).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The app, its packages, project references and runtime; the app first.</summary>
    public required IReadOnlyList<AppComponent> Components { get; init; }

    public required BaseImageFacts BaseImage { get; init; }

    /// <summary>OS packages this publish installed into a layer of its own (ContainerPackage items), not the base's.</summary>
    public IReadOnlyList<Packages.InstalledPackage> AddedOsPackages { get; init; } = [];

    /// <summary>The tool that wrote the SBOM, name and version.</summary>
    public required (string Name, string Version) Tool { get; init; }
}
