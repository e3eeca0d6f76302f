using System.Text.Json.Nodes;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// The annotation on a layer's descriptor that records the key of the inputs it was built from
/// (<c>io.containers.layer.key: v3:&lt;hex&gt;</c>), so a later publish on another machine can find the layer in the
/// registry by its inputs instead of building it (docs/layering.md). OCI manifests carry it on the descriptor; the
/// Docker manifest format has no annotations (some registries and tools drop or refuse what it does not define), so a
/// Docker image carries the same record in the comment of the layer's history entry in its config, which both formats
/// define: <c>"comment": "io.containers.layer.key=v3:&lt;hex&gt;"</c>.
/// </summary>
public static class LayerKeyAnnotation
{
    public const string Name = "io.containers.layer.key";

    /// <summary>The recorded key, or null when the descriptor has none.</summary>
    public static string? Of(Descriptor descriptor) => descriptor.Annotations?.GetValueOrDefault(Name);

    /// <summary>A history entry's comment that records <paramref name="key"/> (a Docker image's layers).</summary>
    public static string HistoryComment(string key) => $"{Name}={key}";

    /// <summary>
    /// The keys a config's history records, one per layer (null where none): the history entries that add a layer
    /// (not <c>empty_layer</c>) belong to the layers in order, matched from the last, since a base image's own history may
    /// be incomplete; the match stops at the first entry without our record.
    /// </summary>
    public static IReadOnlyList<string?> FromHistory(JsonObject config, int layerCount)
    {
        var keys = new string?[layerCount];
        if (config["history"] is not JsonArray history) return keys;
        var entries = history.OfType<JsonObject>().Where(h => h["empty_layer"]?.GetValueKind() != System.Text.Json.JsonValueKind.True).ToList();
        for (int e = entries.Count - 1, layer = layerCount - 1; e >= 0 && layer >= 0; e--, layer--)
        {
            if (ImageDocuments.Text(entries[e]["comment"]) is not { } comment || !comment.StartsWith(Name + "=", StringComparison.Ordinal)) break;
            keys[layer] = comment[(Name.Length + 1)..];
        }
        return keys;
    }

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
