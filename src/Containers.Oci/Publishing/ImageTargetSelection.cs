using Containers.Oci.Errors;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.Oci.Publishing;

/// <summary>
/// Chooses where an image goes from the user's settings, as the SDK does and with the OCI layout added: an archive
/// when ContainerArchiveOutputPath is set, else an OCI layout when ContainerOciLayoutPath is, else the registry in
/// ContainerRegistry, else the local engine (LocalRegistry, or detected). Pure: no I/O beyond asking whether the
/// archive path is a folder.
/// </summary>
public static class ImageTargetSelection
{
    public static ImageDestination Choose(string? registry, string repository, string? archiveOutputPath, string? ociLayoutPath, string? localRegistry, string baseDirectory)
    {
        // LocalRegistry is checked even when unused, so a typo never waits for the day it matters.
        var daemon = ParseLocalRegistry(localRegistry);
        var archive = NullIfBlank(archiveOutputPath);
        var layout = NullIfBlank(ociLayoutPath);
        if (archive is not null && layout is not null) throw ErrorCatalogue.ConflictingDestinations.ToException(archive, layout);

        var name = new ImageName(registry, repository);
        if (archive is not null) return ImageDestination.Archive(ResolveArchivePath(archive, repository, baseDirectory), name);
        if (layout is not null) return ImageDestination.Layout(Path.GetFullPath(layout, baseDirectory), name);
        if (registry is not null) return ImageDestination.Registry(new ImageReference(registry, repository));
        return ImageDestination.Daemon(daemon, repository);
    }

    /// <summary>LocalRegistry: empty (detect), <c>Docker</c> or <c>Podman</c> (any case); CONTAINER2002 otherwise.</summary>
    public static LocalDaemonKind? ParseLocalRegistry(string? value)
    {
        if (NullIfBlank(value) is not { } text) return null;
        return text.All(char.IsAsciiLetter) && Enum.TryParse<LocalDaemonKind>(text, ignoreCase: true, out var kind)
            ? kind
            : throw ErrorCatalogue.UnknownLocalRegistryType.ToException(text, string.Join(", ", Enum.GetNames<LocalDaemonKind>()));
    }

    /// <summary>
    /// The file ContainerArchiveOutputPath names: itself, or <c>&lt;repository&gt;.tar.gz</c> inside it when it is an
    /// existing folder or ends with a separator, as the SDK does.
    /// </summary>
    public static string ResolveArchivePath(string configured, string repository, string baseDirectory)
    {
        var full = Path.GetFullPath(configured, baseDirectory);
        var isFolder = Directory.Exists(full) || configured.EndsWith('/') || configured.EndsWith('\\');
        return isFolder ? Path.Combine(full, repository + ".tar.gz") : full;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
