using Containers.Oci.Layers;

namespace Containers.Oci.Packages;

/// <summary>
/// The one layer of OS packages as a <see cref="LayerPlan"/>, so the same deterministic writer makes it as every other
/// layer: every package's entries (packages in name order; a path two packages ship is the later one's), the files
/// scripts would have made, and the package database, with every parent folder explicit and everything sorted.
/// </summary>
public static class PackageLayerPlan
{
    public static LayerPlan Build(IReadOnlyList<UnpackedPackage> packages, IReadOnlyDictionary<string, byte[]> generated, string stagingDirectory)
    {
        var entries = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var package in packages.OrderBy(p => p.Package.Name, StringComparer.Ordinal))
        {
            foreach (var entry in package.Entries) entries[entry.Path] = entry;
        }
        var index = 0;
        foreach (var (path, bytes) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var file = Path.Combine(stagingDirectory, $"generated-{index++}");
            File.WriteAllBytes(file, bytes);
            entries[path] = LayerEntry.File(path, file, LayerEntry.FileMode);
        }
        foreach (var path in entries.Keys.ToList())
        {
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                entries.TryAdd(path[..slash], LayerEntry.Directory(path[..slash]));
            }
        }
        var names = string.Join(", ", packages.Select(p => $"{p.Package.Name} {p.Package.Version}"));
        return new LayerPlan($"OS packages: {names}", entries.Values.ToList());
    }
}
