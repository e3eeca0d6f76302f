using System.IO.Compression;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// The image in a docker-archive, read from its contents. A docker-archive has no manifest of its own, only
/// <c>manifest.json</c>'s list of files: the image manifest is made from them. Layers keep their bytes (gzip or plain
/// tar, with the media type that says which), and each one's uncompressed digest is checked against the config's diff id.
/// </summary>
/// <param name="wanted">The image's name in the archive; null when the archive holds one image.</param>
internal sealed class DockerArchiveReader(ArchiveContents contents, ContentCache cache, string source, string? wanted)
{
    /// <param name="platform">When set, the image must be of this platform (CONTAINER1011 otherwise).</param>
    public async Task<IImage> ReadAsync(Platform? platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var listJson = await contents.ReadAsync(DockerArchiveManifest.FileName, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"it has no {DockerArchiveManifest.FileName}, so it is not a docker archive"
                + (contents.Contains(OciLayout.IndexFile) ? "; it looks like an OCI archive: write 'oci-archive:' instead" : ""));
        var entries = ImageDocuments.Parse<List<DockerArchiveManifest>>(listJson, DockerArchiveManifest.FileName, source);
        var entry = Choose(entries);

        var configBytes = await contents.ReadAsync(entry.Config, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BlobNotInSource.ToException(entry.Config, source);
        var config = ImageDocuments.ParseConfig(configBytes, source);
        if (platform is not null) ImageDocuments.CheckPlatform(config, platform, runtimeIdentifier, source);
        var diffIds = ImageDocuments.DiffIds(config, source);
        if (diffIds.Count != entry.Layers.Count)
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its config lists {diffIds.Count} diff ids for {entry.Layers.Count} layers");
        }

        var layers = new List<ILayer>();
        var origin = $"the base image in {source}";
        for (var i = 0; i < entry.Layers.Count; i++)
        {
            var (digest, size) = await contents.CacheFileAsync(entry.Layers[i], cancellationToken).ConfigureAwait(false);
            var compressed = await VerifyDiffIdAsync(cache.PathOf(digest), digest, diffIds[i], cancellationToken).ConfigureAwait(false);
            var descriptor = new Descriptor { MediaType = compressed ? MediaTypes.DockerLayerGzip : MediaTypes.DockerLayer, Digest = digest.ToString(), Size = size };
            layers.Add(new BlobLayer(descriptor, diffIds[i], cache, origin, IsLocal: true));
        }

        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length },
            Layers = layers.Select(l => l.Descriptor).ToList(),
        };
        return Image.Create(manifest, configBytes, config, layers);
    }

    private DockerArchiveManifest Choose(List<DockerArchiveManifest> entries)
    {
        var names = ImageNames.List(entries.SelectMany(e => e.RepoTags is { Count: > 0 } tags ? tags.Select(t => (string?)t) : [null]));
        if (wanted is not null)
        {
            return entries.FirstOrDefault(e => e.RepoTags?.Any(t => ImageNames.Matches(t, wanted)) == true)
                ?? throw ErrorCatalogue.BaseImageNotInSource.ToException(source, $"named '{wanted}'", names);
        }
        return entries.Count switch
        {
            0 => throw ErrorCatalogue.BaseImageNotInSource.ToException(source, "at all", names),
            1 => entries[0],
            _ => throw ErrorCatalogue.BaseImageNotChosen.ToException(source, entries.Count, names),
        };
    }

    /// <summary>Checks a layer's uncompressed digest against its diff id; returns whether the layer is gzip-compressed.</summary>
    private async Task<bool> VerifyDiffIdAsync(string path, Digest digest, string diffId, CancellationToken cancellationToken)
    {
        await using var file = ContentCache.OpenRead(path);
        var magic = new byte[2];
        var compressed = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == 2
                         && magic[0] == 0x1f && magic[1] == 0x8b;
        Digest uncompressed;
        if (compressed)
        {
            file.Position = 0;
            await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            uncompressed = await Digest.Sha256Async(gzip, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            uncompressed = digest;
        }
        if (uncompressed.ToString() != diffId) throw ErrorCatalogue.DigestMismatch.ToException(diffId, source, uncompressed);
        return compressed;
    }
}
