using System.IO.Compression;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>
/// Checks an image or an index for internal consistency, wherever it was read from: every digest and size against the
/// bytes, every layer's diff id against its decompressed tar, the config's rootfs against the layers, and media types
/// that belong together. It reads every blob, so it costs a full download; it never throws for a bad image, it lists
/// what is wrong (an empty list: valid).
/// </summary>
public static class ImageValidation
{
    public static async Task<IReadOnlyList<string>> CheckAsync(ITaggable content, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        switch (content)
        {
            case IImageIndex index:
                await CheckIndexAsync(index, problems, cancellationToken).ConfigureAwait(false);
                break;
            case IImage image:
                await CheckImageAsync(image, "", problems, cancellationToken).ConfigureAwait(false);
                break;
        }
        return problems;
    }

    private static async Task CheckIndexAsync(IImageIndex index, List<string> problems, CancellationToken cancellationToken)
    {
        CheckBytes(index.RawManifest, index.Descriptor, "the index", problems);
        if (!MediaTypes.IsIndex(index.MediaType)) problems.Add($"the index has media type '{index.MediaType}', not an index's");
        if (index.Index.Manifests.Count != index.Images.Count) problems.Add($"the index lists {index.Index.Manifests.Count} manifests but {index.Images.Count} images were read");
        foreach (var (entry, image) in index.Index.Manifests.Zip(index.Images))
        {
            var where = $"the image {entry.Digest} ({entry.Platform?.ToString() ?? "no platform"})";
            if (entry.Digest != image.Descriptor.Digest || entry.Size != image.RawManifest.Length || entry.MediaType != image.MediaType)
            {
                problems.Add($"{where}: the index's entry does not describe its manifest (digest, size or media type)");
            }
            if (entry.Platform is { } platform && image.Platform is { } declared && !platform.IsSatisfiedBy(declared))
            {
                problems.Add($"{where}: the index says {platform} but the config says {declared}");
            }
            if (MediaTypes.IsDocker(index.MediaType) != MediaTypes.IsDocker(image.MediaType))
            {
                problems.Add($"{where}: a {(MediaTypes.IsDocker(index.MediaType) ? "Docker" : "OCI")} index holds a manifest of the other family");
            }
            await CheckImageAsync(image, where + ": ", problems, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CheckImageAsync(IImage image, string prefix, List<string> problems, CancellationToken cancellationToken)
    {
        CheckBytes(image.RawManifest, image.Descriptor, prefix + "the manifest", problems);
        CheckBytes(image.RawConfig, image.Manifest.Config, prefix + "the config", problems);
        if (image.IsArtifact)
        {
            // An artifact's blobs are checked as bytes only: they are no file system, with no rootfs to agree with.
            foreach (var (blob, i) in image.Layers.Select((l, i) => (l, i))) await CheckBlobAsync(blob, $"{prefix}blob {i} ({blob.Descriptor.Digest})", problems, cancellationToken).ConfigureAwait(false);
            return;
        }
        var docker = MediaTypes.IsDocker(image.MediaType);
        var expectedConfig = docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig;
        if (image.Manifest.Config.MediaType != expectedConfig) problems.Add($"{prefix}the config's media type is '{image.Manifest.Config.MediaType}', expected '{expectedConfig}'");
        if (image.Platform is null) problems.Add($"{prefix}the config names no os and architecture");
        if (ImageDocuments.Text(image.Config["rootfs"]?["type"]) != "layers") problems.Add($"{prefix}the config's rootfs.type is not 'layers'");

        IReadOnlyList<string> diffIds;
        try
        {
            diffIds = ImageDocuments.DiffIds(image.Config, "the image");
        }
        catch (ContainerException)
        {
            problems.Add($"{prefix}the config's rootfs.diff_ids is not a list of digests");
            diffIds = [];
        }
        if (diffIds.Count != image.Layers.Count) problems.Add($"{prefix}the config lists {diffIds.Count} diff ids for {image.Layers.Count} layers");

        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            var where = $"{prefix}layer {i} ({layer.Descriptor.Digest})";
            if (image.Manifest.Layers.Count <= i || image.Manifest.Layers[i].Digest != layer.Descriptor.Digest) problems.Add($"{where}: not the manifest's layer {i}");
            if (!LayerTypeFits(layer.Descriptor.MediaType, docker)) problems.Add($"{where}: media type '{layer.Descriptor.MediaType}' does not belong in a {(docker ? "Docker" : "OCI")} manifest");
            if (i < diffIds.Count && layer.DiffId != diffIds[i]) problems.Add($"{where}: its diff id {layer.DiffId} is not the config's {diffIds[i]}");
            await CheckLayerBytesAsync(layer, where, problems, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the layer once: the compressed bytes against the descriptor, the decompressed tar against the diff id.</summary>
    private static async Task CheckLayerBytesAsync(ILayer layer, string where, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            await using var opened = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
            var compressed = new DigestingReadStream(opened, layer.Descriptor.ParsedDigest.Algorithm);
            await using var tar = Decompress(layer.Descriptor.MediaType, compressed);
            var diffId = await Digest.Sha256Async(tar, cancellationToken).ConfigureAwait(false);
            await compressed.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);   // a trailer the decompressor did not need
            if (compressed.BytesRead != layer.Descriptor.Size) problems.Add($"{where}: {compressed.BytesRead} bytes, the descriptor says {layer.Descriptor.Size}");
            else if (compressed.GetDigest() != layer.Descriptor.ParsedDigest) problems.Add($"{where}: the bytes do not match the digest");
            if (diffId.ToString() != layer.DiffId) problems.Add($"{where}: the uncompressed tar's digest is {diffId}, not its diff id {layer.DiffId}");
        }
        catch (ContainerException e)
        {
            problems.Add($"{where}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException)
        {
            problems.Add($"{where}: cannot be read as '{layer.Descriptor.MediaType}' ({e.Message.TrimEnd('.')})");
        }
    }

    private static async Task CheckBlobAsync(ILayer blob, string where, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            await using var opened = await blob.OpenAsync(cancellationToken).ConfigureAwait(false);
            var read = new DigestingReadStream(opened, blob.Descriptor.ParsedDigest.Algorithm);
            await read.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            if (read.BytesRead != blob.Descriptor.Size || read.GetDigest() != blob.Descriptor.ParsedDigest) problems.Add($"{where}: the bytes do not match the descriptor");
        }
        catch (ContainerException e)
        {
            problems.Add($"{where}: {e.Message}");
        }
    }

    private static Stream Decompress(string mediaType, Stream compressed) => mediaType switch
    {
        MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
        MediaTypes.OciLayerZstd => new ZstdSharp.DecompressionStream(compressed, leaveOpen: true),
        _ => new NonClosing(compressed),
    };

    private static bool LayerTypeFits(string mediaType, bool docker) => docker
        ? mediaType is MediaTypes.DockerLayerGzip or MediaTypes.DockerLayer
        : mediaType is MediaTypes.OciLayerGzip or MediaTypes.OciLayer or MediaTypes.OciLayerZstd;

    private static void CheckBytes(byte[] bytes, Descriptor descriptor, string what, List<string> problems)
    {
        if (bytes.Length != descriptor.Size) problems.Add($"{what} is {bytes.Length} bytes, its descriptor says {descriptor.Size}");
        else if (DigestAlgorithm.Compute(descriptor.ParsedDigest.Algorithm, bytes) != descriptor.ParsedDigest) problems.Add($"{what}'s bytes do not match its digest {descriptor.Digest}");
    }

    /// <summary>An uncompressed layer read as its own tar, leaving the stream under it open for the count.</summary>
    private sealed class NonClosing(Stream inner) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    }
}
