namespace Containers.Oci.Layers;

public enum LayerEntryKind { Directory, File, Symlink }

/// <summary>
/// One entry of a planned layer: where it goes in the image, what it is, and its mode and owner.
/// <paramref name="Path"/> is relative to the image root with '/' separators and no leading slash, e.g. <c>app/App.dll</c>;
/// a path that <see cref="ImagePath.EntryNameProblem"/> refuses cannot be an entry at all (CONTAINER5400), so no plan,
/// however it was made, can write a tar entry that climbs out of the root.
/// </summary>
public sealed record LayerEntry(
    string Path,
    LayerEntryKind Kind,
    int Mode,
    int Uid = 0,
    int Gid = 0,
    string? SourcePath = null,
    string? LinkTarget = null)
{
    public const int FileMode = 0b110_100_100;       // 0644
    public const int ExecutableMode = 0b111_101_101; // 0755
    public const int DirectoryMode = 0b111_101_101;  // 0755

    private readonly string _path = ImagePath.CheckEntryName(Path);

    public string Path
    {
        get => _path;
        init => _path = ImagePath.CheckEntryName(value);
    }

    public static LayerEntry Directory(string path, int uid = 0, int gid = 0, int mode = DirectoryMode)
        => new(path, LayerEntryKind.Directory, mode, uid, gid);

    public static LayerEntry File(string path, string sourcePath, int mode, int uid = 0, int gid = 0)
        => new(path, LayerEntryKind.File, mode, uid, gid, sourcePath);

    /// <summary>A link kept as a link: <paramref name="target"/> as written on disk, resolved only inside the container.</summary>
    public static LayerEntry Symlink(string path, string target, int uid = 0, int gid = 0)
        => new(path, LayerEntryKind.Symlink, 0b111_111_111, uid, gid, LinkTarget: target);
}
