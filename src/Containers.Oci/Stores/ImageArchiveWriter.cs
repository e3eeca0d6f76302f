using System.Text;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// Writes an image archive to a stream, front to back: a file, or <c>docker load</c>'s standard input. Names come
/// first (small), then each blob once; the bytes depend only on the image and its names.
/// The archive is both layouts at once, as <c>docker save</c> writes since Docker 25: an OCI image layout
/// (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/</c>) and a docker-archive (<c>manifest.json</c> naming the same
/// config and layer blobs). Every reader finds its own: docker of any version reads <c>manifest.json</c>; podman and
/// skopeo read the OCI index, which they can even when the archive is compressed (their docker-archive reader cannot)
/// or holds several tags (podman 4 loads only one image from an OCI index, and then falls back to manifest.json).
/// The manifest inside keeps the image's own media types, Docker or OCI.
/// </summary>
internal static class ImageArchiveWriter
{
    /// <summary>What to call the archive: docker-archive for Docker media types, oci-archive for OCI ones.</summary>
    public static string KindOf(IImage image) => MediaTypes.IsDocker(image.MediaType) ? "docker-archive" : "oci-archive";

    public static async Task WriteAsync(Stream output, IImage image, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var tar = new ImageTarWriter(output, DateTimeOffset.UnixEpoch);
        var layers = Image.DistinctLayers(image);

        await tar.WriteFileAsync(OciLayout.MarkerFile, Encoding.UTF8.GetBytes(OciLayout.MarkerContent), cancellationToken).ConfigureAwait(false);
        await tar.WriteFileAsync(OciLayout.IndexFile, IndexJson(image, names), cancellationToken).ConfigureAwait(false);
        var dockerManifest = new DockerArchiveManifest
        {
            Config = OciLayout.BlobPath(image.Manifest.Config.Digest),
            RepoTags = names,
            Layers = image.Layers.Select(l => OciLayout.BlobPath(l.Descriptor.Digest)).ToList(),
        };
        await tar.WriteFileAsync(DockerArchiveManifest.FileName, OciJson.Serialize(new[] { dockerManifest }), cancellationToken).ConfigureAwait(false);

        await tar.WriteFileAsync(OciLayout.BlobPath(image.Digest), image.RawManifest, cancellationToken).ConfigureAwait(false);
        await tar.WriteFileAsync(OciLayout.BlobPath(image.Manifest.Config.Digest), image.RawConfig, cancellationToken).ConfigureAwait(false);
        foreach (var layer in layers)
        {
            await using var content = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await tar.WriteFileAsync(OciLayout.BlobPath(layer.Descriptor.Digest), content, layer.Descriptor.Size, cancellationToken).ConfigureAwait(false);
        }
        await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An archive holding a whole index: index.json names the index under each name (OCI readers get every platform);
    /// manifest.json lists <paramref name="dockerImage"/> only, since docker's format has no platforms.
    /// </summary>
    public static async Task WriteIndexAsync(Stream output, IImageIndex index, IImage dockerImage, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var tar = new ImageTarWriter(output, DateTimeOffset.UnixEpoch);
        await tar.WriteFileAsync(OciLayout.MarkerFile, Encoding.UTF8.GetBytes(OciLayout.MarkerContent), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Descriptor> entries = names.Count == 0 ? [index.Descriptor] : names.Select(n => OciLayout.Entry(index.Descriptor, n, null)).ToList();
        await tar.WriteFileAsync(OciLayout.IndexFile, OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries }), cancellationToken).ConfigureAwait(false);
        var dockerManifest = new DockerArchiveManifest
        {
            Config = OciLayout.BlobPath(dockerImage.Manifest.Config.Digest),
            RepoTags = names,
            Layers = dockerImage.Layers.Select(l => OciLayout.BlobPath(l.Descriptor.Digest)).ToList(),
        };
        await tar.WriteFileAsync(DockerArchiveManifest.FileName, OciJson.Serialize(new[] { dockerManifest }), cancellationToken).ConfigureAwait(false);

        await tar.WriteFileAsync(OciLayout.BlobPath(index.Digest), index.RawManifest, cancellationToken).ConfigureAwait(false);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in index.Images)
        {
            if (written.Add(image.Digest.ToString())) await tar.WriteFileAsync(OciLayout.BlobPath(image.Digest), image.RawManifest, cancellationToken).ConfigureAwait(false);
            if (written.Add(image.Manifest.Config.Digest)) await tar.WriteFileAsync(OciLayout.BlobPath(image.Manifest.Config.Digest), image.RawConfig, cancellationToken).ConfigureAwait(false);
            foreach (var layer in Image.DistinctLayers(image))
            {
                if (!written.Add(layer.Descriptor.Digest)) continue;
                await using var content = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
                await tar.WriteFileAsync(OciLayout.BlobPath(layer.Descriptor.Digest), content, layer.Descriptor.Size, cancellationToken).ConfigureAwait(false);
            }
        }
        await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One index entry per name, so each loads as its own tag; the image's platform on each.</summary>
    public static byte[] IndexJson(IImage image, IReadOnlyList<string> names)
    {
        IReadOnlyList<Descriptor> entries = names.Count == 0
            ? [image.Descriptor with { Platform = image.Platform, ArtifactType = image.Manifest.ArtifactType }]
            : names.Select(n => OciLayout.Entry(image.Descriptor, n, image.Platform)).ToList();
        return OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries });
    }
}
