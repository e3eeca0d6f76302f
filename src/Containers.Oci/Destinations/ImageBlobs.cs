using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;

namespace Containers.Oci.Destinations;

/// <summary>Where the bytes of a built image's layers are: our own layers in their files, base layers from the base's blob source.</summary>
internal static class ImageBlobs
{
    public static async Task<Stream> OpenLayerAsync(BuiltImage image, ImageLayer layer, CancellationToken cancellationToken)
    {
        if (layer.LocalPath is { } path) return ContentCache.OpenRead(path);
        if (image.BaseBlobs is { } blobs) return await blobs.OpenAsync(layer.Descriptor, cancellationToken).ConfigureAwait(false);
        throw ErrorCatalogue.UnexpectedFailure.ToException($"layer {layer.Descriptor.Digest} has neither a local file nor a source for its bytes");
    }

    /// <summary>Each layer once, in order: an image may repeat a layer, an archive or layout holds its blob once.</summary>
    public static IReadOnlyList<ImageLayer> Distinct(BuiltImage image)
        => image.Layers.GroupBy(l => l.Descriptor.Digest, StringComparer.Ordinal).Select(g => g.FirstOrDefault(l => l.IsLocal) ?? g.First()).ToList();
}
