using Containers.Oci.Errors;

namespace Containers.Oci.Layers;

/// <summary>
/// The one place that decides what on the host may enter a layer. Regular files enter as files (a hard link too: it
/// is a regular file); folders are walked; a symbolic link enters as a link, its target as written, and is never
/// followed or walked, so a link to <c>/etc</c> or to a folder holding credentials copies nothing from the host, and
/// a link to its own parent cannot loop. Anything else (a FIFO, a socket, a device) is refused, CONTAINER5401, before
/// it is opened: opening a FIFO would block the build. A name that cannot be a tar entry is refused, CONTAINER5402.
/// Only a root the user names (the publish folder, a ContainerLayer's folder) is entered through a link.
/// </summary>
public static class LayerSources
{
    /// <summary>Every file and link below <paramref name="root"/>; folders are walked, links below the root are not.</summary>
    public static IReadOnlyList<LayerSource> Walk(string root)
    {
        var found = new List<LayerSource>();
        var pending = new Stack<(string FullPath, string RelativePath)>();
        pending.Push((root, ""));
        while (pending.TryPop(out var folder))
        {
            foreach (var fullPath in Directory.EnumerateFileSystemEntries(folder.FullPath))
            {
                var name = Path.GetFileName(fullPath);
                var relative = folder.RelativePath.Length == 0 ? name : folder.RelativePath + "/" + name;
                var (kind, permissions) = HostFileType.Of(fullPath);
                if (kind == HostFileKind.Missing && name.Contains('\uFFFD'))
                {
                    // .NET shows a name that is not UTF-8 with U+FFFD in place of the bad bytes, and that name then names nothing.
                    throw ErrorCatalogue.LayerSourceNameInvalid.ToException(fullPath, "its name is not valid UTF-8");
                }
                if (ImagePath.EntryNameProblem(relative) is { } problem) throw ErrorCatalogue.LayerSourceNameInvalid.ToException(fullPath, problem);
                if (kind == HostFileKind.Directory) pending.Push((fullPath, relative));
                else found.Add(FromKind(fullPath, relative, kind, permissions));
            }
        }
        return found;
    }

    /// <summary>One file named directly (a ContainerLayer file), placed at <paramref name="imagePath"/>: a file or a link.</summary>
    public static LayerSource File(string fullPath, string imagePath)
    {
        var (kind, permissions) = HostFileType.Of(fullPath);
        if (kind == HostFileKind.Directory) throw new ArgumentException($"'{fullPath}' is a folder; walk it instead.", nameof(fullPath));
        return FromKind(fullPath, imagePath, kind, permissions);
    }

    private static LayerSource FromKind(string fullPath, string relativePath, HostFileKind kind, int permissions) => kind switch
    {
        HostFileKind.File => new LayerSource(fullPath, relativePath, LayerEntryKind.File, null, permissions),
        HostFileKind.Symlink => new LayerSource(fullPath, relativePath, LayerEntryKind.Symlink, LinkTargetOf(fullPath), 0),
        HostFileKind.Missing => throw ErrorCatalogue.LayerSourceMissing.ToException(fullPath, "/" + relativePath),
        _ => throw ErrorCatalogue.LayerSourceNotAllowed.ToException(fullPath, Describe(kind)),
    };

    /// <summary>The target as the link holds it (readlink), which the container resolves inside the image.</summary>
    private static string LinkTargetOf(string fullPath)
    {
        var target = new FileInfo(fullPath).LinkTarget ?? throw ErrorCatalogue.LayerSourceMissing.ToException(fullPath, fullPath);
        // A target that is not UTF-8 reaches us with U+FFFD for its bad bytes; writing that would make another link.
        if (target.Contains('\uFFFD')) throw ErrorCatalogue.LayerSourceNameInvalid.ToException(fullPath, "its link target is not valid UTF-8");
        return target;
    }

    private static string Describe(HostFileKind kind) => kind switch
    {
        HostFileKind.Fifo => "named pipe (FIFO)",
        HostFileKind.Socket => "socket",
        HostFileKind.BlockDevice => "block device",
        HostFileKind.CharacterDevice => "character device",
        _ => "special file",
    };
}
