using Containers.Oci.Daemons;
using Containers.Oci.Errors;
using Containers.Oci.Names;

namespace Containers.Oci.Destinations;

/// <summary>
/// Chooses where an image goes from the user's settings, as the SDK does and with the OCI layout added: an archive
/// when ContainerArchiveOutputPath is set, else an OCI layout when ContainerOciLayoutPath is, else the registry in
/// ContainerRegistry, else the local engine (LocalRegistry, or detected). Pure: no I/O beyond asking whether the
/// archive path is a folder.
/// </summary>
public static class ImageTargetSelection
{
    public static ImageTarget Choose(string? registry, string repository, string? archiveOutputPath, string? ociLayoutPath, string? localRegistry, string baseDirectory)
    {
        // LocalRegistry is checked even when unused, so a typo never waits for the day it matters.
        var daemon = ParseLocalRegistry(localRegistry);
        var archive = NullIfBlank(archiveOutputPath);
        var layout = NullIfBlank(ociLayoutPath);
        if (archive is not null && layout is not null) throw ErrorCatalogue.ConflictingDestinations.ToException(archive, layout);

        if (archive is not null) return new ArchiveTarget(ArchiveTarget.ResolvePath(archive, repository, baseDirectory), registry, repository);
        if (layout is not null) return new OciLayoutTarget(Path.GetFullPath(layout, baseDirectory), registry, repository);
        if (registry is not null) return new RegistryTarget(new ImageReference(registry, repository));
        return new LocalDaemonTarget(repository, daemon);
    }

    /// <summary>LocalRegistry: empty (detect), <c>Docker</c> or <c>Podman</c> (any case); CONTAINER2002 otherwise.</summary>
    public static LocalDaemonKind? ParseLocalRegistry(string? value)
    {
        if (NullIfBlank(value) is not { } text) return null;
        return text.All(char.IsAsciiLetter) && Enum.TryParse<LocalDaemonKind>(text, ignoreCase: true, out var kind)
            ? kind
            : throw ErrorCatalogue.UnknownLocalRegistryType.ToException(text, string.Join(", ", Enum.GetNames<LocalDaemonKind>()));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
