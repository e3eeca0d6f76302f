using System.Text.Json.Nodes;
using Containers.Oci.Content;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Images;

/// <summary>A base image resolved to one platform: its manifest, its config, and where it came from.</summary>
/// <param name="Reference">Its registry and repository; null when it is not in a registry (a layout, an archive, a local store).</param>
public sealed record BaseImage(
    ImageReference? Reference,
    ImageManifest Manifest,
    Digest ManifestDigest,
    JsonObject Config)
{
    /// <summary>Where the base layers' bytes can be read, for destinations that need them (see <see cref="Images.Sources.IImageSource"/>).</summary>
    public IBlobSource? Blobs { get; init; }

    /// <summary>The base's layers paired with their diff ids from the config's rootfs.</summary>
    public IReadOnlyList<ImageLayer> Layers()
    {
        var diffIds = Config["rootfs"]?["diff_ids"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        if (diffIds.Count != Manifest.Layers.Count)
        {
            throw new InvalidDataException($"The base image {Reference?.ToString() ?? "(local)"} has {Manifest.Layers.Count} layers but {diffIds.Count} diff ids.");
        }
        return Manifest.Layers.Select((d, i) => new ImageLayer(d, diffIds[i])).ToList();
    }
}
