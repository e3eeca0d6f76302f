using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>The one implementation of <see cref="IImage"/>: a base read from a store, or an image just assembled.</summary>
public sealed class Image : IImage
{
    private Image(byte[] rawManifest, ImageManifest manifest, Digest digest, byte[] rawConfig, JsonObject config, IReadOnlyList<ILayer> layers)
    {
        RawManifest = rawManifest;
        Manifest = manifest;
        Digest = digest;
        RawConfig = rawConfig;
        Config = config;
        Layers = layers;
        Descriptor = new Descriptor { MediaType = manifest.MediaType, Digest = digest.ToString(), Size = rawManifest.Length };
        Platform = ImageDocuments.PlatformOf(config);
    }

    public Descriptor Descriptor { get; }
    public byte[] RawManifest { get; }
    public Digest Digest { get; }
    public string MediaType => Manifest.MediaType;
    public ImageManifest Manifest { get; }
    public byte[] RawConfig { get; }
    public JsonObject Config { get; }
    public IReadOnlyList<ILayer> Layers { get; }
    public Platform? Platform { get; }

    /// <summary>An image whose manifest is written here (an image just built, or a docker-archive's, which has none of its own).</summary>
    public static Image Create(ImageManifest manifest, byte[] rawConfig, JsonObject config, IReadOnlyList<ILayer> layers)
    {
        var bytes = OciJson.Serialize(manifest);
        return new Image(bytes, manifest, Digest.Sha256(bytes), rawConfig, config, layers);
    }

    /// <summary>
    /// An image from a store's exact bytes: the manifest and config parsed (a coded error naming <paramref name="source"/>
    /// when they are not valid), each layer paired with its diff id and given its bytes by <paramref name="layerOf"/>.
    /// </summary>
    public static Image Read(byte[] rawManifest, Digest digest, byte[] rawConfig, string source, Func<Descriptor, string, ILayer> layerOf)
    {
        var manifest = ImageDocuments.Parse<ImageManifest>(rawManifest, "manifest", source);
        var config = ImageDocuments.ParseConfig(rawConfig, source);
        return new Image(rawManifest, manifest, digest, rawConfig, config, Pair(manifest, config, source, layerOf));
    }

    /// <summary>An image from a manifest already parsed (one of a layout's or archive's), read the same way.</summary>
    public static Image Read(ImageManifest manifest, byte[] rawManifest, Digest digest, byte[] rawConfig, JsonObject config, string source, Func<Descriptor, string, ILayer> layerOf)
        => new(rawManifest, manifest, digest, rawConfig, config, Pair(manifest, config, source, layerOf));

    /// <summary>
    /// Each layer once, in order: an image may repeat a layer, and a store holds (or sends) its blob once. Of two copies
    /// the local one wins: reading a file beats fetching.
    /// </summary>
    public static IReadOnlyList<ILayer> DistinctLayers(IImage image)
        => image.Layers.GroupBy(l => l.Descriptor.Digest, StringComparer.Ordinal).Select(g => g.FirstOrDefault(l => l.IsLocal) ?? g.First()).ToList();

    /// <summary>
    /// True for an OCI 1.1 artifact (an SBOM, a signature): a manifest with an artifact type, or whose config is not an
    /// image config. Its blobs are not layers of a file system: they have no diff ids, and it runs nowhere.
    /// </summary>
    public bool IsArtifact => IsArtifactManifest(Manifest);

    private static bool IsArtifactManifest(ImageManifest manifest) => manifest.ArtifactType is not null || !MediaTypes.IsImageConfig(manifest.Config.MediaType);

    private static IReadOnlyList<ILayer> Pair(ImageManifest manifest, JsonObject config, string source, Func<Descriptor, string, ILayer> layerOf)
    {
        var layers = manifest.Layers;
        // An artifact's blobs stand for themselves: its "diff id" is the blob's own digest.
        if (IsArtifactManifest(manifest)) return layers.Select(d => layerOf(d, d.Digest)).ToList();
        var diffIds = ImageDocuments.DiffIds(config, source);
        if (diffIds.Count != layers.Count)
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its config lists {diffIds.Count} diff ids for {layers.Count} layers");
        }
        return layers.Select((d, i) => layerOf(d, diffIds[i])).ToList();
    }
}
