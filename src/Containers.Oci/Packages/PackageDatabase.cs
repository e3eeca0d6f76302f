using System.Text;

namespace Containers.Oci.Packages;

/// <summary>
/// dpkg's record of the installed packages, as files for the layer, so that <c>dpkg -l</c> and image scanners inside the
/// container see the new packages: the status file rewritten whole (the base's entries kept as they were, the new ones
/// added, sorted by name as dpkg writes it) or, for distroless bases, one <c>status.d/&lt;package&gt;</c> file each; and
/// <c>info/&lt;package&gt;.list</c>, <c>.md5sums</c> and the other control files dpkg keeps there.
/// </summary>
public static class PackageDatabase
{
    /// <summary>Image path → content of each database file.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files(BaseSystem baseSystem, IReadOnlyList<UnpackedPackage> packages)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var entries = packages.ToDictionary(p => InfoName(p.Package), p => StatusEntry(p));
        if (baseSystem.UsesStatusFolder)
        {
            foreach (var package in packages)
            {
                files[$"var/lib/dpkg/status.d/{InfoName(package.Package)}"] = Encoding.UTF8.GetBytes(entries[InfoName(package.Package)]);
                if (package.Control.Files.TryGetValue("md5sums", out var sums)) files[$"var/lib/dpkg/status.d/{InfoName(package.Package)}.md5sums"] = sums;
            }
            return files;
        }

        var replaced = packages.Select(p => p.Package.Name).ToHashSet(StringComparer.Ordinal);
        var kept = ControlParagraph.ParseAll(baseSystem.Status ?? "")
            .Where(p => p["Package"] is { } name && !replaced.Contains(name))
            .Select(p => (Name: p["Package"]!, Arch: p["Architecture"] ?? "", Text: p.Text));
        var added = packages.Select(p => (Name: p.Package.Name, Arch: p.Package.Architecture, Text: entries[InfoName(p.Package)]));
        var status = string.Join("\n", kept.Concat(added).OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Arch, StringComparer.Ordinal).Select(e => e.Text));
        files["var/lib/dpkg/status"] = Encoding.UTF8.GetBytes(status);

        foreach (var package in packages)
        {
            var name = InfoName(package.Package);
            files[$"var/lib/dpkg/info/{name}.list"] = Encoding.UTF8.GetBytes(string.Concat(package.ListedPaths.Select(p => p + "\n")));
            foreach (var (file, bytes) in package.Control.Files.Where(f => f.Key != "control"))
            {
                files[$"var/lib/dpkg/info/{name}.{file}"] = bytes;
            }
        }
        return files;
    }

    /// <summary>dpkg names info files <c>package:arch</c> for Multi-Arch: same packages, else by the package alone.</summary>
    internal static string InfoName(AvailablePackage package)
        => package.MultiArch == "same" ? $"{package.Name}:{package.Architecture}" : package.Name;

    /// <summary>
    /// The package's control paragraph with the Status dpkg gives an installed package right after its name, and its
    /// conffiles with the MD5 of their unpacked files, as dpkg records them.
    /// </summary>
    internal static string StatusEntry(UnpackedPackage package)
    {
        var control = package.Control.Text("control").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        var lines = control.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith("Package:", StringComparison.Ordinal));
        lines.Insert(at + 1, "Status: install ok installed");
        var conffiles = package.Control.Text("conffiles").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (conffiles.Length > 0)
        {
            // md5sums leaves conffiles out (dh_md5sums), so their hashes come from the unpacked files themselves.
            var staged = package.Entries.Where(e => e.Kind == Layers.LayerEntryKind.File).ToDictionary(e => "/" + e.Path, e => e.SourcePath!, StringComparer.Ordinal);
            string Md5(string path) => staged.TryGetValue(path, out var file)
                ? Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(file))) : "newconffile";
            var insertAt = lines.FindIndex(l => l.StartsWith("Description:", StringComparison.Ordinal));
            if (insertAt < 0) insertAt = lines.Count;
            lines.Insert(insertAt, "Conffiles:");
            lines.InsertRange(insertAt + 1, conffiles.Select(c => $" {c} {Md5(c)}"));
        }
        return string.Join("\n", lines) + "\n";
    }
}
