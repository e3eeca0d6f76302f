using Containers.Oci.Errors;

namespace Containers.Oci.Packages;

/// <summary>What to install: the packages the layer gets (by name), and the requested ones the base already has.</summary>
public sealed record PackageResolution(IReadOnlyList<AvailablePackage> ToInstall, IReadOnlyList<AvailablePackage> AlreadyInBase);

/// <summary>
/// Chooses the packages to install for the requests, as apt would on a fresh system, without running anything:
/// the newest version of each (or the requested one), then, for each Depends and Pre-Depends, nothing when the base or
/// the chosen set satisfies it already, else the first alternative that some package satisfies (a real package at a
/// fitting version first, then a package that Provides the name). Only packages of the image's architecture and
/// 'all' are candidates. Greedy like apt's first pass, with no backtracking: a conflict is reported, naming both.
/// </summary>
public sealed class PackageResolver
{
    private readonly Dictionary<string, List<AvailablePackage>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AvailablePackage>> _providers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AvailablePackage> _installed = new(StringComparer.Ordinal);
    private readonly string _sources;
    private readonly string _architecture;

    public PackageResolver(IEnumerable<AvailablePackage> available, IEnumerable<AvailablePackage> installed, string architecture, string sources)
    {
        _architecture = architecture;
        _sources = sources;
        foreach (var package in available.Where(p => p.Architecture == architecture || p.Architecture == "all"))
        {
            Add(_byName, package.Name, package);
            foreach (var provided in package.Provides) Add(_providers, provided.Name, package);
        }
        foreach (var list in _byName.Values.Concat(_providers.Values)) list.Sort((a, b) => b.Version.CompareTo(a.Version));
        foreach (var package in installed) _installed[package.Name] = package;
    }

    public PackageResolution Resolve(IReadOnlyList<PackageRequest> requests)
    {
        var chosen = new Dictionary<string, AvailablePackage>(StringComparer.Ordinal);
        var inBase = new List<AvailablePackage>();
        var pending = new Queue<AvailablePackage>();
        foreach (var request in requests)
        {
            if (_installed.TryGetValue(request.Name, out var present) && (request.Version is null || DebianVersion.Parse(request.Version).CompareTo(present.Version) == 0))
            {
                inBase.Add(present);
                continue;
            }
            var candidate = Candidate(request);
            if (chosen.TryAdd(candidate.Name, candidate)) pending.Enqueue(candidate);
        }

        while (pending.TryDequeue(out var package))
        {
            foreach (var alternatives in package.Depends)
            {
                if (alternatives.Any(r => Satisfied(r, chosen))) continue;
                var pick = alternatives.Select(Best).FirstOrDefault(p => p is not null)
                    ?? throw ErrorCatalogue.PackageDependencyUnsatisfiable.ToException(package.Name, string.Join(" | ", alternatives), _sources);
                if (chosen.TryGetValue(pick.Name, out var other) && !ReferenceEquals(other, pick))
                {
                    throw ErrorCatalogue.PackageConflict.ToException(other, pick, $"'{package.Name}' needs {string.Join(" | ", alternatives)}, which {other.Version} does not satisfy");
                }
                if (chosen.TryAdd(pick.Name, pick)) pending.Enqueue(pick);
            }
        }
        CheckConflicts(chosen);
        return new PackageResolution(chosen.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList(), inBase);
    }

    private AvailablePackage Candidate(PackageRequest request)
    {
        if (!_byName.TryGetValue(request.Name, out var versions))
        {
            // A virtual package with one provider is what apt installs for it too.
            if (request.Version is null && _providers.TryGetValue(request.Name, out var providers) && providers.Select(p => p.Name).Distinct().Count() == 1) return providers[0];
            var close = CloseNames(request.Name);
            throw ErrorCatalogue.PackageNotFound.ToException(request.Name, _sources, _architecture, close.Count == 0 ? "" : $" Did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?");
        }
        if (request.Version is null) return versions[0];
        var wanted = DebianVersion.Parse(request.Version);
        return versions.FirstOrDefault(v => v.Version.CompareTo(wanted) == 0)
            ?? throw ErrorCatalogue.PackageVersionNotFound.ToException(request.Name, request.Version, string.Join(", ", versions.Select(v => v.Version)));
    }

    /// <summary>True when the base or the chosen set has a package with that name at a fitting version, or one that provides it.</summary>
    private bool Satisfied(PackageRelation relation, Dictionary<string, AvailablePackage> chosen)
    {
        bool Fits(AvailablePackage p) => p.Name == relation.Name ? relation.Accepts(p.Version) : Provides(p, relation);
        return _installed.Values.Concat(chosen.Values).Any(p => (p.Name == relation.Name || p.Provides.Count > 0) && Fits(p));
    }

    private AvailablePackage? Best(PackageRelation relation)
    {
        if (_byName.TryGetValue(relation.Name, out var versions) && versions.FirstOrDefault(v => relation.Accepts(v.Version)) is { } real) return real;
        return _providers.TryGetValue(relation.Name, out var providers) ? providers.FirstOrDefault(p => Provides(p, relation)) : null;
    }

    /// <summary>An unversioned relation takes any provider; a versioned one only a provider that states a fitting version.</summary>
    private static bool Provides(AvailablePackage package, PackageRelation relation)
        => package.Provides.Any(p => p.Name == relation.Name
            && (relation.Operator == VersionOperator.Any || (p.Version is not null && relation.Accepts(DebianVersion.Parse(p.Version)))));

    private void CheckConflicts(Dictionary<string, AvailablePackage> chosen)
    {
        var everything = _installed.Values.Where(p => !chosen.ContainsKey(p.Name)).Concat(chosen.Values).ToList();
        foreach (var package in chosen.Values)
        {
            foreach (var conflict in package.Conflicts)
            {
                var hit = everything.FirstOrDefault(o => o.Name != package.Name
                    && ((o.Name == conflict.Name && conflict.Accepts(o.Version)) || (conflict.Operator == VersionOperator.Any && o.Provides.Any(p => p.Name == conflict.Name))));
                if (hit is not null) throw ErrorCatalogue.PackageConflict.ToException(package, hit, $"'{package.Name}' conflicts with or breaks {conflict}");
            }
        }
    }

    /// <summary>Up to five names within two edits, or that contain the name or are contained in it.</summary>
    internal IReadOnlyList<string> CloseNames(string name)
        => _byName.Keys.Select(k => (Name: k, Distance: Edits(name, k)))
            .Where(c => c.Distance <= 2 || (name.Length >= 3 && c.Name.Contains(name, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name.Length).ThenBy(c => c.Name, StringComparer.Ordinal).Take(5).Select(c => c.Name).ToList();

    private static int Edits(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2) return 3;
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++) current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    private static void Add(Dictionary<string, List<AvailablePackage>> map, string key, AvailablePackage package)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(package);
    }
}
