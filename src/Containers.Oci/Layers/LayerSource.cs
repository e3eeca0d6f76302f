namespace Containers.Oci.Layers;

/// <summary>
/// A file or a symbolic link on the host that may enter a layer, as <see cref="LayerSources"/> found it.
/// <paramref name="RelativePath"/> is its path below the folder it was found in, '/' between parts, and already a valid
/// tar entry name; <paramref name="LinkTarget"/> is a link's target as written, never followed;
/// <paramref name="Permissions"/> are the file's mode bits on disk (0 on Windows).
/// </summary>
public sealed record LayerSource(string FullPath, string RelativePath, LayerEntryKind Kind, string? LinkTarget, int Permissions);
