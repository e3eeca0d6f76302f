using Containers.Oci.Errors;
using Containers.Oci.Stores;

namespace Containers.Oci.Publishing;

/// <summary>
/// ContainerExtraDestinations: more places the same image goes, ';'-separated, in ContainerBaseImage's syntax. Each gets
/// the publish's tags, and local ones its name, so an entry names only the place: a registry repository (no tag or
/// digest), <c>oci-layout:PATH</c>, <c>oci-archive:FILE</c>, <c>docker-archive:FILE</c>, <c>podman:</c> or <c>docker-daemon:</c>.
/// </summary>
public static class ExtraDestinations
{
    public static IReadOnlyList<ImageDestination> Parse(string? value, ImageName name, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var destinations = new List<ImageDestination>();
        foreach (var entry in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            destinations.Add(ParseOne(entry, name, baseDirectory));
        }
        return destinations;
    }

    private static ImageDestination ParseOne(string entry, ImageName name, string baseDirectory)
    {
        // The local engines take the publish's own name; the prefix alone says which engine.
        if (entry.Equals("podman:", StringComparison.OrdinalIgnoreCase)) return new(new DaemonStoreLocation(LocalDaemonKind.Podman, name.Repository), name);
        if (entry.Equals("docker-daemon:", StringComparison.OrdinalIgnoreCase)) return new(new DaemonStoreLocation(LocalDaemonKind.Docker, name.Repository), name);

        ImageLocation location;
        try
        {
            location = ImageLocation.Parse(entry, baseDirectory);
        }
        catch (ContainerException e)
        {
            throw ErrorCatalogue.InvalidExtraDestination.ToException(e, entry, e.Message.TrimEnd('.'));
        }
        return location switch
        {
            RegistryLocation { Reference: { Tag: null, Digest: null } reference } => ImageDestination.Registry(reference),
            RegistryLocation => throw ErrorCatalogue.InvalidExtraDestination.ToException(entry, "it names a tag or digest, but the image gets the publish's tags"),
            OciLayoutLocation { Name: null, Digest: null } or ArchiveLocation { Name: null } => new ImageDestination(location, name),
            DaemonStoreLocation => throw ErrorCatalogue.InvalidExtraDestination.ToException(entry, "a local engine takes the publish's name: write 'podman:' or 'docker-daemon:' alone"),
            _ => throw ErrorCatalogue.InvalidExtraDestination.ToException(entry, "it names an image in the file or folder, but the image gets the publish's name and tags"),
        };
    }
}
