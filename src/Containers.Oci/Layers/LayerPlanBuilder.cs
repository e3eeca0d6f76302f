using Containers.Oci.Errors;

namespace Containers.Oci.Layers;

/// <summary>
/// Collects files for one layer and produces a <see cref="LayerPlan"/> whose every parent folder is explicit,
/// with entries sorted ordinally so the same inputs always give the same tar. Entries get the builder's owner;
/// parent folders above what was added (such as <c>/srv</c> for <c>/srv/app</c>) stay owned by root.
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

    /// <summary>
    /// Adds one local file at <paramref name="imagePath"/>; executable when it has an execute bit on disk, unless a mode
    /// is given. A symbolic link stays a link. A file cannot be the root folder itself (CONTAINER5400).
    /// </summary>
    public LayerPlanBuilder AddFile(string sourcePath, string imagePath, int? mode = null)
    {
        var path = ImagePath.Normalize(imagePath);
        if (path.Length == 0) throw ErrorCatalogue.InvalidImagePath.ToException(imagePath, "a file cannot be the root folder itself");
        AddParents(path, ownedFrom: path);
        AddEntry(LayerSources.File(sourcePath, path), path, mode);
        return this;
    }

    /// <summary>Adds every file and link under <paramref name="sourceDirectory"/> below <paramref name="imageDirectory"/>, which is owned like its files.</summary>
    public LayerPlanBuilder AddDirectory(string sourceDirectory, string imageDirectory, Func<string, bool>? include = null, int? fileMode = null)
        => AddSources(LayerSources.Walk(sourceDirectory), imageDirectory, include, fileMode);

    /// <summary>Adds files and links found by <see cref="LayerSources.Walk"/> below <paramref name="imageDirectory"/>, which is owned like them.</summary>
    public LayerPlanBuilder AddSources(IEnumerable<LayerSource> sources, string imageDirectory, Func<string, bool>? include = null, int? fileMode = null)
    {
        var root = ImagePath.Normalize(imageDirectory);
        AddParents(root + "/", ownedFrom: root);
        foreach (var source in sources)
        {
            if (include is not null && !include(source.RelativePath)) continue;
            var path = root.Length == 0 ? source.RelativePath : root + "/" + source.RelativePath;
            AddParents(path, ownedFrom: root);
            AddEntry(source, path, fileMode);
        }
        return this;
    }

    public LayerPlan Build(string description) => new(description, _entries.Values.ToList());

    private void AddEntry(LayerSource source, string path, int? mode)
    {
        _entries[path] = source.Kind == LayerEntryKind.Symlink
            ? LayerEntry.Symlink(path, source.LinkTarget!, _uid, _gid)
            : LayerEntry.File(path, source.FullPath, mode ?? ModeOf(source), _uid, _gid);
    }

    /// <summary>Adds each folder above <paramref name="path"/>; those at or below <paramref name="ownedFrom"/> get the builder's owner.</summary>
    private void AddParents(string path, string ownedFrom)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            var owned = parent.Length >= ownedFrom.Length;
            var entry = LayerEntry.Directory(parent, owned ? _uid : 0, owned ? _gid : 0);
            if (!_entries.TryGetValue(parent, out var existing) || (owned && existing.Uid == 0 && existing.Gid == 0)) _entries[parent] = entry;
        }
    }

    /// <summary>
    /// 0755 for a file with an execute bit on disk (the apphost, createdump, scripts), else 0644. NuGet extracts every
    /// package file with mode 0744, so for assemblies, symbols, JSON, XML and shared libraries the bit is noise that
    /// would make layers differ between machines; those are always 0644.
    /// </summary>
    private static int ModeOf(LayerSource source)
    {
        if (OperatingSystem.IsWindows()) return LayerEntry.FileMode;
        if (NeverExecutable.Contains(Path.GetExtension(source.FullPath))) return LayerEntry.FileMode;
        const int anyExecute = 0b001_001_001;
        return (source.Permissions & anyExecute) != 0 ? LayerEntry.ExecutableMode : LayerEntry.FileMode;
    }

    private static readonly HashSet<string> NeverExecutable = new(StringComparer.OrdinalIgnoreCase)
    {
        ".dll", ".pdb", ".json", ".xml", ".so", ".dylib", ".a", ".config", ".txt",
    };
}
