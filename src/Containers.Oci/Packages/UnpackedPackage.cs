using System.Formats.Tar;
using Containers.Oci.Layers;

namespace Containers.Oci.Packages;

/// <summary>
/// One package's files, unpacked from its .deb into a staging folder: each data entry as a layer entry (mode, owner and
/// link as the package says; regular files' bytes in the staging folder), the paths as dpkg lists them, and the control
/// files. Hard links become copies of their target (a layer entry has no hard-link kind; the bytes are the same).
/// </summary>
public sealed record UnpackedPackage(AvailablePackage Package, IReadOnlyList<LayerEntry> Entries, IReadOnlyList<string> ListedPaths, DebArchive.Control Control)
{
    public static async Task<UnpackedPackage> UnpackAsync(AvailablePackage package, string debPath, string stagingDirectory, IReadOnlyDictionary<string, string> topLevelLinks, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stagingDirectory);
        var entries = new List<LayerEntry>();
        var listed = new List<string>();
        var staged = new Dictionary<string, string>(StringComparer.Ordinal);
        var control = await DebArchive.ReadAsync(debPath, package.Name, async entry =>
        {
            var original = BaseSystem.EntryPath(entry.Name);
            listed.Add("/" + original);
            if (original.Length == 0) return;   // "./", the root itself
            var path = Canonical(original, topLevelLinks);
            if (path is null) return;           // a root folder that is a link in the base (bin, lib): keep the link
            var mode = (int)entry.Mode;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    entries.Add(LayerEntry.Directory(path, entry.Uid, entry.Gid, mode));
                    break;
                case TarEntryType.SymbolicLink:
                    entries.Add(LayerEntry.Symlink(path, entry.LinkName, entry.Uid, entry.Gid));
                    break;
                case TarEntryType.HardLink when staged.TryGetValue(Canonical(BaseSystem.EntryPath(entry.LinkName), topLevelLinks) ?? "", out var target):
                    entries.Add(LayerEntry.File(path, target, mode, entry.Uid, entry.Gid));
                    staged[path] = target;
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    var file = Path.Combine(stagingDirectory, staged.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await using (var output = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    {
                        if (entry.DataStream is { } data) await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                    }
                    staged[path] = file;
                    entries.Add(LayerEntry.File(path, file, mode, entry.Uid, entry.Gid));
                    break;
                default:
                    throw Errors.ErrorCatalogue.PackageArchiveInvalid.ToException(package.Name, $"'/{original}' is a {entry.EntryType} entry, which a layer cannot hold");
            }
        }, cancellationToken).ConfigureAwait(false);
        // dpkg lists the root as "/." and folders without a trailing slash.
        var paths = listed.Select(p => p == "/" ? "/." : p).Distinct(StringComparer.Ordinal).ToList();
        return new UnpackedPackage(package, entries, paths, control);
    }

    /// <summary>The path through the base's root links (<c>bin/ls</c> → <c>usr/bin/ls</c>); null for the link itself.</summary>
    internal static string? Canonical(string path, IReadOnlyDictionary<string, string> topLevelLinks)
    {
        var slash = path.IndexOf('/');
        var top = slash < 0 ? path : path[..slash];
        if (!topLevelLinks.TryGetValue(top, out var target)) return path;
        if (slash < 0) return null;
        return target + path[slash..];
    }
}
