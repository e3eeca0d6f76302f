using Containers.Oci.Errors;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.Cli.Places;

/// <summary>
/// Where an image goes, as written on the command line, with the name and tags it gets there: a registry reference
/// (<c>localhost:5000/app:1.0</c>), <c>oci-layout:DIR[:name[:tag]]</c>, <c>oci-archive:FILE[:name[:tag]]</c>,
/// <c>docker-archive:FILE[:name[:tag]]</c>, <c>podman:[name[:tag]]</c> or <c>docker-daemon:[name[:tag]]</c>.
/// What the text leaves out (a tag, a local name) comes from the command: the source's, or the build's.
/// </summary>
public sealed record Place(ImageLocation Location, ImageName Name, IReadOnlyList<string> Tags)
{
    public IImageStore Open(StoreContext context) => ImageStores.Open(Location, context, Name);

    public override string ToString() => Location.ToString();

    /// <summary>A place images are read from: the engine's reference syntax (ContainerBaseImage's), relative paths from the working directory.</summary>
    public static ImageLocation Source(string text, string workingDirectory) => ImageLocation.Parse(text, workingDirectory);

    public static Place Destination(string text, string workingDirectory, string command, string defaultRepository, IReadOnlyList<string> defaultTags)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("podman:", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("containers-storage:", StringComparison.OrdinalIgnoreCase))
        {
            return new(new DaemonStoreLocation(LocalDaemonKind.Podman, defaultRepository), new ImageName(null, defaultRepository), defaultTags);
        }
        if (trimmed.Equals("docker-daemon:", StringComparison.OrdinalIgnoreCase))
        {
            return new(new DaemonStoreLocation(LocalDaemonKind.Docker, defaultRepository), new ImageName(null, defaultRepository), defaultTags);
        }
        return Source(trimmed, workingDirectory) switch
        {
            RegistryLocation { Reference.Digest: not null } => throw CommandRunner.Usage(command, $"'{text}' names a digest, but a destination gets tags: write a tag or none"),
            RegistryLocation r => new(new RegistryLocation(new ImageReference(r.Reference.Registry, r.Reference.Repository)),
                new ImageName(r.Reference.Registry, r.Reference.Repository), r.Reference.Tag is { } tag ? [tag] : defaultTags),
            OciLayoutLocation { Digest: not null } => throw CommandRunner.Usage(command, $"'{text}' names a digest, but a destination gets a name and tags"),
            OciLayoutLocation l => Local(new OciLayoutLocation(l.Path, null, null), l.Name, defaultRepository, defaultTags),
            ArchiveLocation a => Local(new ArchiveLocation(a.Format, a.Path, null), a.Name, defaultRepository, defaultTags),
            DaemonStoreLocation d => LocalDaemon(d, defaultTags),
            var other => throw new InvalidOperationException($"Unknown location {other}."),
        };
    }

    private static Place Local(ImageLocation location, string? name, string defaultRepository, IReadOnlyList<string> defaultTags)
    {
        if (name is null) return new(location, new ImageName(null, defaultRepository), defaultTags);
        var (repository, tag) = SplitTag(name);
        return new(location, new ImageName(null, repository), tag is null ? defaultTags : [tag]);
    }

    private static Place LocalDaemon(DaemonStoreLocation location, IReadOnlyList<string> defaultTags)
    {
        var (repository, tag) = SplitTag(location.Name);
        return new(location with { Name = repository }, new ImageName(null, repository), tag is null ? defaultTags : [tag]);
    }

    /// <summary><c>name:tag</c> at the last ':' after the last '/', so a registry port (<c>host:5000/app</c>) is kept in the name.</summary>
    public static (string Repository, string? Tag) SplitTag(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') && colon > 0 ? (name[..colon], name[(colon + 1)..]) : (name, null);
    }

    /// <summary>The name and tag a source gives its copies by default: its repository (or local name) and tag, else 'latest'.</summary>
    public static (string Repository, IReadOnlyList<string> Tags) DefaultsFrom(ImageLocation source)
    {
        var (repository, tag) = source switch
        {
            RegistryLocation r => (r.Reference.Repository, r.Reference.Tag),
            OciLayoutLocation { Name: { } n } => SplitTag(n),
            ArchiveLocation { Name: { } n } => SplitTag(n),
            DaemonStoreLocation d => SplitTag(d.Name),
            _ => ("image", null),
        };
        var local = repository.Contains('/') && ImageReference.TryParse(repository, out var parsed, out _) ? parsed.Repository : repository;
        return (local, [tag ?? "latest"]);
    }

    /// <summary>A registry repository for the commands that only registries serve (ls, tag); CONTAINER5705 otherwise.</summary>
    public static ImageReference Registry(string text, string workingDirectory, string command) => Source(text, workingDirectory) switch
    {
        RegistryLocation r => r.Reference,
        var other => throw ErrorCatalogue.RegistryOnlyCommand.ToException(text, $"'containerize {command}'", $"it is {other}"),
    };
}
