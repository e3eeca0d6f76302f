using System.IO.Compression;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Model;

namespace Containers.Oci.Images.Sources;

/// <summary>
/// A base image in a docker-archive or oci-archive file, plain or gzip-compressed. The archive is read once; its
/// layers go into the content cache, verified, and the image's layers are read from there.
/// </summary>
/// <param name="displayName">How errors name the image, when not by the file (an engine's export is a temporary file).</param>
public sealed class ArchiveSource(ArchiveLocation location, ContentCache cache, string? displayName = null) : IImageSource
{
    public async Task<BaseImage> ReadAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var source = displayName ?? location.ToString();
        if (!File.Exists(location.Path))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, Directory.Exists(location.Path)
                ? "it is a folder; write 'oci-layout:' for an OCI layout folder" : "the file does not exist");
        }
        var contents = await ArchiveContents.ReadAsync(location.Path, cache, source, cancellationToken).ConfigureAwait(false);
        var image = location.Format == ArchiveFormat.OciArchive
            ? await ReadOciAsync(contents, source, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false)
            : await ReadDockerAsync(contents, source, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
        return image with { Blobs = cache };
    }

    private async Task<BaseImage> ReadOciAsync(ArchiveContents contents, string source, Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var indexJson = await contents.ReadAsync(OciLayout.IndexFile, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"it has no {OciLayout.IndexFile}, so it is not an OCI archive"
                + (contents.Contains(DockerArchiveManifest.FileName) ? "; it looks like a docker archive: write 'docker-archive:' instead" : ""));
        var reader = new OciLayoutReader(source, contents.ReadBlobAsync);
        var (manifest, digest, config) = await reader.ReadAsync(indexJson, location.Name, null, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
        foreach (var layer in manifest.Layers) await contents.EnsureCachedAsync(layer, cancellationToken).ConfigureAwait(false);
        return new BaseImage(null, manifest, digest, config);
    }

    /// <summary>
    /// A docker-archive has no manifest of its own, only <c>manifest.json</c>'s list of files: the image manifest is
    /// made from them. Layers keep their bytes (gzip or plain tar, with the media type that says which), and each one's
    /// uncompressed digest is checked against the config's diff id.
    /// </summary>
    private async Task<BaseImage> ReadDockerAsync(ArchiveContents contents, string source, Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var listJson = await contents.ReadAsync(DockerArchiveManifest.FileName, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"it has no {DockerArchiveManifest.FileName}, so it is not a docker archive"
                + (contents.Contains(OciLayout.IndexFile) ? "; it looks like an OCI archive: write 'oci-archive:' instead" : ""));
        var entries = ImageDocuments.Parse<List<DockerArchiveManifest>>(listJson, DockerArchiveManifest.FileName, source);
        var entry = Choose(entries, source);

        var configBytes = await contents.ReadAsync(entry.Config, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BlobNotInSource.ToException(entry.Config, source);
        var config = ImageDocuments.ParseConfig(configBytes, source);
        ImageDocuments.CheckPlatform(config, platform, runtimeIdentifier, source);
        var diffIds = ImageDocuments.DiffIds(config);
        if (diffIds.Count != entry.Layers.Count)
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"its config lists {diffIds.Count} diff ids for {entry.Layers.Count} layers");
        }

        var layers = new List<Descriptor>();
        for (var i = 0; i < entry.Layers.Count; i++)
        {
            var (digest, size) = await contents.CacheFileAsync(entry.Layers[i], cancellationToken).ConfigureAwait(false);
            var compressed = await VerifyDiffIdAsync(cache.PathOf(digest), digest, diffIds[i], source, cancellationToken).ConfigureAwait(false);
            layers.Add(new Descriptor { MediaType = compressed ? MediaTypes.DockerLayerGzip : MediaTypes.DockerLayer, Digest = digest.ToString(), Size = size });
        }

        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length },
            Layers = layers,
        };
        return new BaseImage(null, manifest, Digest.Sha256(OciJson.Serialize(manifest)), config);
    }

    private DockerArchiveManifest Choose(List<DockerArchiveManifest> entries, string source)
    {
        var names = ImageNames.List(entries.SelectMany(e => e.RepoTags is { Count: > 0 } tags ? tags.Select(t => (string?)t) : [null]));
        if (location.Name is { } wanted)
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
    private static async Task<bool> VerifyDiffIdAsync(string path, Digest digest, string diffId, string source, CancellationToken cancellationToken)
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
