using Containers.Oci.Errors;
using Containers.Oci.Names;
using Containers.Oci.Stores;

namespace Containers.Oci.Publishing;

/// <summary>
/// ContainerCacheFrom: the earlier images whose layers a publish may reuse by their recorded keys
/// (<see cref="RegistryLayerReuse"/>), ';'-separated registry references, looked at in order. Unset: the destination
/// repository under the first tag, when the destination is a registry (the image this publish replaces). <c>none</c>: no image.
/// </summary>
public static class CacheFromSources
{
    /// <summary>The images the user named; null when unset (then <see cref="Resolve"/> takes the default).</summary>
    public static IReadOnlyList<ImageReference>? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        var sources = new List<ImageReference>();
        foreach (var entry in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Only a registry records keys that a HEAD can confirm; a local image would have to be read whole.
            if (!ImageReference.NamesRegistry(entry)) throw ErrorCatalogue.InvalidCacheFrom.ToException(entry, "it does not name its registry");
            if (!ImageReference.TryParse(entry, out var reference, out var reason)) throw ErrorCatalogue.InvalidCacheFrom.ToException(entry, reason);
            sources.Add(reference);
        }
        return sources;
    }

    /// <summary>The images to look at for this request: the named ones, else the destination's first tag in its registry.</summary>
    public static IReadOnlyList<ImageReference> Resolve(IReadOnlyList<ImageReference>? named, ImageDestination destination, IReadOnlyList<string> tags)
    {
        if (named is not null) return named;
        return destination.Location is RegistryLocation { Reference: var repository } && tags.Count > 0 ? [repository.WithTag(tags[0])] : [];
    }
}
