namespace Containers.Oci.Packages;

/// <summary>One binary package of a Packages index (or of the base's status): what resolution and download need.</summary>
public sealed record AvailablePackage
{
    public required string Name { get; init; }
    public required DebianVersion Version { get; init; }
    public required string Architecture { get; init; }
    /// <summary>no, same, foreign or allowed.</summary>
    public string MultiArch { get; init; } = "no";
    public IReadOnlyList<IReadOnlyList<PackageRelation>> Depends { get; init; } = [];
    public IReadOnlyList<PackageRelation> Provides { get; init; } = [];
    public IReadOnlyList<PackageRelation> Conflicts { get; init; } = [];
    public string? Filename { get; init; }
    public string? Sha256 { get; init; }
    public long Size { get; init; }
    public string Priority { get; init; } = "optional";
    public bool Essential { get; init; }
    /// <summary>The source it came from; null for the base's installed packages.</summary>
    public AptSource? Source { get; init; }

    public override string ToString() => $"{Name} {Version} ({Architecture})";

    /// <summary>Reads the fields of a Packages or status paragraph; null when a required field is missing.</summary>
    public static AvailablePackage? From(ControlParagraph p, AptSource? source)
    {
        if (p["Package"] is not { } name || p["Version"] is not { } version) return null;
        return new AvailablePackage
        {
            Name = name,
            Version = DebianVersion.Parse(version),
            Architecture = p["Architecture"] ?? "all",
            MultiArch = p["Multi-Arch"] ?? "no",
            // Pre-Depends must be unpacked and configured first; with nothing run, both mean "in the layer too".
            Depends = [.. PackageRelation.ParseList(p["Pre-Depends"]), .. PackageRelation.ParseList(p["Depends"])],
            Provides = PackageRelation.ParseList(p["Provides"]).Select(a => a[0]).ToList(),
            Conflicts = [.. PackageRelation.ParseList(p["Conflicts"]).Select(a => a[0]), .. PackageRelation.ParseList(p["Breaks"]).Select(a => a[0])],
            Filename = p["Filename"],
            Sha256 = p["SHA256"],
            Size = long.TryParse(p["Size"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : 0,
            Priority = p["Priority"] ?? "optional",
            Essential = string.Equals(p["Essential"], "yes", StringComparison.OrdinalIgnoreCase),
            Source = source,
        };
    }
}
