using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// The annotation on a layer's descriptor that records the key of the inputs it was built from
/// (<c>io.containers.layer.key: v3:&lt;hex&gt;</c>), so a later publish on another machine can find the layer in the
/// registry by its inputs instead of building it (docs/layering.md). Only OCI manifests carry it: the Docker manifest
/// format has no annotations, and some registries and tools drop or refuse what it does not define.
/// </summary>
public static class LayerKeyAnnotation
{
    public const string Name = "io.containers.layer.key";

    /// <summary>The recorded key, or null when the descriptor has none.</summary>
    public static string? Of(Descriptor descriptor) => descriptor.Annotations?.GetValueOrDefault(Name);

    /// <summary>The descriptor with this key and no other annotation (a layer we wrote has none of its own).</summary>
    public static Descriptor With(Descriptor descriptor, string key)
        => descriptor with { Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [Name] = key } };

    /// <summary>The descriptor without the key (for a Docker manifest), keeping any other annotation.</summary>
    public static Descriptor Without(Descriptor descriptor)
    {
        if (descriptor.Annotations is not { } annotations || !annotations.ContainsKey(Name)) return descriptor;
        var rest = annotations.Where(a => a.Key != Name).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        return descriptor with { Annotations = rest.Count == 0 ? null : new SortedDictionary<string, string>(rest, StringComparer.Ordinal) };
    }
}
