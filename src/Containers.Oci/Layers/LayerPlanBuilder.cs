namespace Containers.Oci.Layers;

/// <summary>
/// Collects files for one layer and produces a <see cref="LayerPlan"/> whose every parent folder is explicit,
/// with entries sorted ordinally so the same inputs always give the same tar.
/// </summary>
public sealed class LayerPlanBuilder
{
    private readonly SortedDictionary<string, LayerEntry> _entries = new(StringComparer.Ordinal);
    private readonly int _uid;
    private readonly int _gid;

    public LayerPlanBuilder(int uid = 0, int gid = 0)
    {
        _uid = uid;
        _gid = gid;
    }

    /// <summary>Adds one local file at <paramref name="imagePath"/>; executable when it has an execute bit on disk.</summary>
    public LayerPlanBuilder AddFile(string sourcePath, string imagePath, int? mode = null)
    {
        var path = ImagePath.Normalize(imagePath);
        AddParents(path);
        var info = new FileInfo(sourcePath);
        if (info.LinkTarget is { } target)
        {
            _entries[path] = LayerEntry.Symlink(path, target, _uid, _gid);
            return this;
        }
        _entries[path] = LayerEntry.File(path, sourcePath, mode ?? ModeOf(info), _uid, _gid);
        return this;
    }

    /// <summary>Adds every file under <paramref name="sourceDirectory"/> below <paramref name="imageDirectory"/>.</summary>
    public LayerPlanBuilder AddDirectory(string sourceDirectory, string imageDirectory, Func<string, bool>? include = null)
    {
        var root = ImagePath.Normalize(imageDirectory);
        AddParents(root + "/x");
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sourceDirectory, file).Replace('\\', '/');
            if (include is null || include(relative))
            {
                AddFile(file, root + "/" + relative);
            }
        }
        return this;
    }

    public LayerPlan Build(string description) => new(description, _entries.Values.ToList());

    private void AddParents(string path)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            _entries.TryAdd(parent, LayerEntry.Directory(parent, _uid, _gid));
        }
    }

    private static int ModeOf(FileInfo info)
    {
        if (OperatingSystem.IsWindows()) return LayerEntry.FileMode;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (info.UnixFileMode & anyExecute) != 0 ? LayerEntry.ExecutableMode : LayerEntry.FileMode;
    }
}
