namespace Containers.Oci.SupplyChain;

/// <summary>
/// The one name each component gets inside a document (a CycloneDX bom-ref), so the dependency graph and every writer
/// agree: a package's purl where it has one, else its kind, name and version.
/// </summary>
internal sealed class ComponentNames
{
    public const string Image = "image";
    public const string BaseImage = "base-image";
    public const string OperatingSystem = "base-image:os";

    private readonly Dictionary<string, string> _byKey;
    private readonly SbomFacts _facts;

    public ComponentNames(SbomFacts facts)
    {
        _facts = facts;
        _byKey = facts.Components.ToDictionary(c => c.Key, Name, StringComparer.Ordinal);
    }

    /// <summary>The distribution that names OS packages' purls; dpkg without an os-release is Debian's.</summary>
    public string Distro => _facts.BaseImage.OsId ?? "debian";

    string Name(AppComponent c) => c.Kind switch
    {
        ComponentKind.Application => $"app:{c.Name}@{c.Version}",
        ComponentKind.Project => $"project:{c.Name}@{c.Version}",
        _ when c.IsNuGetPackage => PackageUrl.NuGet(c.Name, c.Version),
        _ => $"framework:{c.Name}@{c.Version}",
    };

    public string Of(AppComponent component) => _byKey[component.Key];

    public string OfKey(string key) => _byKey[key];

    public string Framework(string name, string version) => $"base-image:framework:{name}@{version}";

    /// <summary>What the base image holds, in document order: its OS, its frameworks, its OS packages.</summary>
    public IReadOnlyList<string> BaseChildren()
    {
        var children = new List<string>();
        if (_facts.BaseImage.OsId is not null) children.Add(OperatingSystem);
        children.AddRange(_facts.BaseImage.Frameworks.Select(f => Framework(f.Name, f.Version)));
        children.AddRange(_facts.BaseImage.OsPackages.Select(p => PackageUrl.Deb(Distro, p)));
        return children;
    }

    /// <summary>
    /// The OS packages this publish added (ContainerPackage), each with its purl; one the base already lists (same name and
    /// architecture) is left out, so no package is given twice.
    /// </summary>
    public IReadOnlyList<(string Purl, Packages.InstalledPackage Package)> AddedOsPackages()
    {
        var inBase = _facts.BaseImage.OsPackages.Select(p => (p.Name, p.Architecture)).ToHashSet();
        return _facts.AddedOsPackages
            .Where(p => !inBase.Contains((p.Name, p.Architecture)))
            .Select(p => (Purl: PackageUrl.Deb(Distro, new OsPackage(p.Name, p.Version, p.Architecture, null)), Package: p))
            .DistinctBy(p => p.Purl)
            .ToList();
    }

    /// <summary>A reference without its tag or digest: <c>localhost:5000/dotnet/aspnet:10.0</c> → <c>localhost:5000/dotnet/aspnet</c>.</summary>
    public static string RepositoryOf(string reference)
    {
        var name = reference.Split('@')[0];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash && slash >= 0 ? name[..colon] : name;
    }
}
