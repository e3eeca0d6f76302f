namespace Containers.Oci.Stores;

/// <summary>
/// The name an image gets in a store: <c>[registry/]repository</c>, and one full name per tag. A registry store takes
/// it from its reference; a local store (layout, archive, engine) names its images with it.
/// </summary>
/// <param name="Registry">Part of the name when set (always, for a registry); <c>repository:tag</c> otherwise.</param>
public sealed record ImageName(string? Registry, string Repository)
{
    /// <summary>The image's full name for one tag, e.g. <c>localhost:5000/my-app:1.0</c> or <c>my-app:1.0</c>.</summary>
    public string NameFor(string tag) => (Registry is null ? "" : Registry + "/") + Repository + ":" + tag;
}

/// <summary>Where an image goes, and the name it gets there. Plain data; <see cref="ImageStores"/> opens the store.</summary>
public sealed record ImageDestination(ImageLocation Location, ImageName Name)
{
    /// <summary>A registry repository needs no more: it is the place and the name.</summary>
    public static ImageDestination Registry(Names.ImageReference repository)
        => new(new RegistryLocation(repository), new ImageName(repository.Registry, repository.Repository));

    /// <summary>An archive file (written in both layouts; gzip-compressed when its name ends in .gz or .tgz).</summary>
    public static ImageDestination Archive(string path, ImageName name) => new(new ArchiveLocation(ArchiveFormat.OciArchive, path, null), name);

    public static ImageDestination Layout(string path, ImageName name) => new(new OciLayoutLocation(path, null, null), name);

    /// <param name="daemon">Docker or podman; null detects which runs, as the SDK does.</param>
    public static ImageDestination Daemon(LocalDaemonKind? daemon, string repository) => new(new DaemonStoreLocation(daemon, repository), new ImageName(null, repository));

    public override string ToString() => Location.ToString();
}
