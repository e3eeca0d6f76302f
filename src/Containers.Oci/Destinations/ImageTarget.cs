using Containers.Oci.Daemons;
using Containers.Oci.Names;

namespace Containers.Oci.Destinations;

/// <summary>
/// Where a built image goes and the name it gets there, as the user's settings say. Plain data, chosen and checked
/// without I/O; <see cref="ImageDestinations"/> turns it into an <see cref="IImageDestination"/>.
/// </summary>
/// <param name="Registry">Part of the image's name when set (always, for a registry); <c>repository:tag</c> otherwise.</param>
public abstract record ImageTarget(string? Registry, string Repository)
{
    /// <summary>A registry repository needs no conversion: it is the target it names.</summary>
    public static implicit operator ImageTarget(ImageReference repository) => new RegistryTarget(repository);

    /// <summary>The image's full name for one tag, e.g. <c>localhost:5000/my-app:1.0</c> or <c>my-app:1.0</c>.</summary>
    public string NameFor(string tag) => (Registry is null ? "" : Registry + "/") + Repository + ":" + tag;
}

/// <summary>Push to a registry repository.</summary>
public sealed record RegistryTarget(ImageReference Reference) : ImageTarget(Reference.Registry, Reference.Repository);

/// <summary>Load into the local docker or podman (LocalRegistry); <paramref name="Daemon"/> null detects which.</summary>
public sealed record LocalDaemonTarget(string Repository, LocalDaemonKind? Daemon = null) : ImageTarget(null, Repository);

/// <summary>Write an archive file (ContainerArchiveOutputPath): gzip-compressed when its name ends in .gz or .tgz.</summary>
public sealed record ArchiveTarget(string Path, string? Registry, string Repository) : ImageTarget(Registry, Repository)
{
    /// <summary>
    /// The file ContainerArchiveOutputPath names: itself, or <c>&lt;repository&gt;.tar.gz</c> inside it when it is an
    /// existing folder or ends with a separator, as the SDK does.
    /// </summary>
    public static string ResolvePath(string configured, string repository, string baseDirectory)
    {
        var full = System.IO.Path.GetFullPath(configured, baseDirectory);
        var isFolder = Directory.Exists(full) || configured.EndsWith('/') || configured.EndsWith('\\');
        return isFolder ? System.IO.Path.Combine(full, repository + ".tar.gz") : full;
    }
}

/// <summary>Add the image to an OCI image layout folder (ContainerOciLayoutPath), keeping the images already there.</summary>
public sealed record OciLayoutTarget(string Path, string? Registry, string Repository) : ImageTarget(Registry, Repository);
