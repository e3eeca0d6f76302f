using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// Pure transforms of an image, in the style of go-containerregistry's <c>mutate</c>: each returns a new image with
/// new manifest and config bytes and leaves its input as it was. Layers keep their bytes; only descriptors, diff ids and
/// config change. The same inputs always give the same bytes.
/// </summary>
public static class ImageMutation
{
    /// <summary>The image with <paramref name="layers"/> added on top, each with a history entry dated <paramref name="created"/>.</summary>
    public static IImage AppendLayers(IImage image, IReadOnlyList<(ILayer Layer, string CreatedBy)> layers, DateTimeOffset created)
    {
        var config = (JsonObject)image.Config.DeepClone();
        var rootfs = config["rootfs"] as JsonObject ?? new JsonObject { ["type"] = "layers" };
        var diffIds = rootfs["diff_ids"] as JsonArray ?? new JsonArray();
        var history = config["history"] as JsonArray ?? new JsonArray();
        foreach (var (layer, createdBy) in layers)
        {
            diffIds.Add(layer.DiffId);
            history.Add(new JsonObject { ["created"] = ImageConfigBuilder.Rfc3339(created), ["created_by"] = createdBy, ["author"] = ImageConfigBuilder.HistoryAuthor });
        }
        rootfs["diff_ids"] = diffIds;
        config["rootfs"] = rootfs;
        config["history"] = history;
        return Assemble(image.MediaType, config, [.. image.Layers, .. layers.Select(l => l.Layer)], image.Manifest.Annotations);
    }

    /// <summary>The image with its config changed by <paramref name="change"/>, which gets a copy it may modify.</summary>
    public static IImage WithConfig(IImage image, Action<JsonObject> change)
    {
        var config = (JsonObject)image.Config.DeepClone();
        change(config);
        return Assemble(image.MediaType, config, image.Layers, image.Manifest.Annotations);
    }

    /// <summary>The image with these manifest annotations (none: null or empty), e.g. for a referrer's subject or a base's name.</summary>
    public static IImage WithAnnotations(IImage image, IReadOnlyDictionary<string, string>? annotations)
        => Assemble(image.MediaType, image.Config, image.Layers, annotations is { Count: > 0 } ? new SortedDictionary<string, string>(annotations.ToDictionary(), StringComparer.Ordinal) : null);

    /// <summary>The image with its creation time, and every history entry's, set to <paramref name="created"/>.</summary>
    public static IImage WithCreated(IImage image, DateTimeOffset created) => WithConfig(image, config =>
    {
        var time = ImageConfigBuilder.Rfc3339(created);
        config["created"] = time;
        if (config["history"] is JsonArray history)
        {
            foreach (var entry in history.OfType<JsonObject>()) entry["created"] = time;
        }
    });

    /// <summary>
    /// The image moved onto <paramref name="newBase"/>: the layers and history of <paramref name="oldBase"/> (which must be
    /// the image's first layers) replaced by the new base's, the image's own layers, history and config kept, the new
    /// base's platform checked. CONTAINER5213 when the image was not built on the old base, or the platforms differ.
    /// </summary>
    public static IImage Rebase(IImage image, IImage oldBase, IImage newBase)
    {
        var count = oldBase.Layers.Count;
        if (image.Layers.Count < count || !image.Layers.Take(count).Select(l => l.Descriptor.Digest).SequenceEqual(oldBase.Layers.Select(l => l.Descriptor.Digest)))
        {
            throw ErrorCatalogue.RebaseRefused.ToException(image.Digest, $"its first layers are not the layers of the old base {oldBase.Digest}");
        }
        if (image.Platform is { } platform && newBase.Platform is { } other && !platform.IsSatisfiedBy(other))
        {
            throw ErrorCatalogue.RebaseRefused.ToException(image.Digest, $"it is {platform}, but the new base {newBase.Digest} is {other}");
        }

        var config = (JsonObject)image.Config.DeepClone();
        var ownDiffIds = ImageDocuments.DiffIds(image.Config, "the image").Skip(count);
        config["rootfs"] = new JsonObject
        {
            ["type"] = "layers",
            ["diff_ids"] = new JsonArray([.. ImageDocuments.DiffIds(newBase.Config, "the new base").Select(d => (JsonNode?)d), .. ownDiffIds.Select(d => (JsonNode?)d)]),
        };
        var oldHistory = (oldBase.Config["history"] as JsonArray)?.Count ?? 0;
        var ownHistory = (image.Config["history"] as JsonArray)?.Skip(oldHistory).Select(h => h?.DeepClone()) ?? [];
        var baseHistory = (newBase.Config["history"] as JsonArray)?.Select(h => h?.DeepClone()) ?? [];
        config["history"] = new JsonArray([.. baseHistory, .. ownHistory]);
        var docker = MediaTypes.IsDocker(image.MediaType);
        var layers = newBase.Layers.Select(l => l.WithDescriptor(l.Descriptor with { MediaType = ImageBuilder.LayerMediaType(l.Descriptor.MediaType, docker) }))
            .Concat(image.Layers.Skip(count)).ToList();
        return Assemble(image.MediaType, config, layers, image.Manifest.Annotations);
    }

    /// <summary>The manifest and config bytes for a config and layers, in the manifest family of <paramref name="manifestMediaType"/>.</summary>
    internal static IImage Assemble(string manifestMediaType, JsonObject config, IReadOnlyList<ILayer> layers, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var configBytes = OciJson.Serialize(config);
        var configMediaType = MediaTypes.IsDocker(manifestMediaType) ? MediaTypes.DockerConfig : MediaTypes.OciConfig;
        var manifest = new ImageManifest
        {
            MediaType = manifestMediaType,
            Config = new Descriptor { MediaType = configMediaType, Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length },
            Layers = layers.Select(l => l.Descriptor).ToList(),
            Annotations = annotations,
        };
        return Image.Create(manifest, configBytes, config, layers);
    }
}
