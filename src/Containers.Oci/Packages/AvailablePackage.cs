namespace Containers.Oci.Packages;

/// <summary>
/// One binary package of a Packages index (or of the base's status): what resolution and download need. Its relations
/// are parsed when first asked for: resolution looks at a few dozen of the tens of thousands an index holds.
/// </summary>
public sealed class AvailablePackage
{
    private IReadOnlyList<IReadOnlyList<PackageRelation>>? _depends;
    private IReadOnlyList<PackageRelation>? _provides;
    private IReadOnlyList<PackageRelation>? _conflicts;

    public required string Name { get; init; }
    public required DebianVersion Version { get; init; }
    public required string Architecture { get; init; }
    /// <summary>no, same, foreign or allowed.</summary>
    public string MultiArch { get; init; } = "no";
    /// <summary>Pre-Depends and Depends as written: with nothing run, both mean "in the layer too".</summary>
    public string? DependsField { get; init; }
    public string? ProvidesField { get; init; }
    /// <summary>Conflicts and Breaks as written: with no upgrade of the base, both mean "not together".</summary>
    public string? ConflictsField { get; init; }

    public IReadOnlyList<IReadOnlyList<PackageRelation>> Depends => _depends ??= PackageRelation.ParseList(DependsField);
    public IReadOnlyList<PackageRelation> Provides => _provides ??= PackageRelation.ParseList(ProvidesField).Select(a => a[0]).ToList();
    public IReadOnlyList<PackageRelation> Conflicts => _conflicts ??= PackageRelation.ParseList(ConflictsField).Select(a => a[0]).ToList();
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
        => From(p.Names.ToDictionary(n => n, n => p[n]!, StringComparer.OrdinalIgnoreCase), source);

    internal static AvailablePackage? From(IReadOnlyDictionary<string, string> p, AptSource? source)
    {
        if (p.GetValueOrDefault("Package") is not { } name || p.GetValueOrDefault("Version") is not { } version) return null;
        return new AvailablePackage
        {
            Name = name,
            Version = DebianVersion.Parse(version),
            Architecture = p.GetValueOrDefault("Architecture") ?? "all",
            MultiArch = p.GetValueOrDefault("Multi-Arch") ?? "no",
            DependsField = Join(p.GetValueOrDefault("Pre-Depends"), p.GetValueOrDefault("Depends")),
            ProvidesField = p.GetValueOrDefault("Provides"),
            ConflictsField = Join(p.GetValueOrDefault("Conflicts"), p.GetValueOrDefault("Breaks")),
            Filename = p.GetValueOrDefault("Filename"),
            Sha256 = p.GetValueOrDefault("SHA256"),
            Size = long.TryParse(p.GetValueOrDefault("Size"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : 0,
            Priority = p.GetValueOrDefault("Priority") ?? "optional",
            Essential = string.Equals(p.GetValueOrDefault("Essential"), "yes", StringComparison.OrdinalIgnoreCase),
            Source = source,
        };
    }

    private static string? Join(string? a, string? b)
        => string.IsNullOrWhiteSpace(a) ? b : string.IsNullOrWhiteSpace(b) ? a : a + ", " + b;
}
