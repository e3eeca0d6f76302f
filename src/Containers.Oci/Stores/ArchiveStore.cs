using System.IO.Compression;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// An archive file: docker-archive or oci-archive, plain or gzip-compressed. Reading reads the file once, its layers
/// going into the content cache (verified) and read from there. Writing writes both layouts at once
/// (<see cref="ImageArchiveWriter"/>), gzip-compressed exactly when the name ends in .gz or .tgz, beside its final
/// name and renamed when complete, so a reader never sees half an archive.
/// </summary>
/// <param name="displayName">How errors name the image, when not by the file (an engine's export is a temporary file).</param>
public sealed class ArchiveStore(ArchiveLocation location, ContentCache cache, ImageName? name = null, string? displayName = null) : IImageStore
{
    public string Name => displayName ?? location.ToString();

    public static bool IsCompressedName(string path)
        => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    public Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        // Else the whole archive is written beside it first, and only the final rename fails.
        if (Directory.Exists(location.Path)) throw ErrorCatalogue.ImageWriteFailed.ToException(location.Path, "it is a folder, not an archive file");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(location.Path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, location.Path, e.Message.TrimEnd('.'));
        }
        return Task.CompletedTask;
    }

    public async Task<ITaggable> ReadAsync(CancellationToken cancellationToken)
    {
        var contents = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (location.Format == ArchiveFormat.OciArchive)
        {
            var (reader, indexJson) = await OciReaderAsync(contents, cancellationToken).ConfigureAwait(false);
            var root = await reader.ReadRootAsync(indexJson, location.Name, null, cancellationToken).ConfigureAwait(false);
            var images = root is IImageIndex index ? index.Images : [(IImage)root];
            foreach (var image in images) await CacheLayersAsync(contents, image, cancellationToken).ConfigureAwait(false);
            return root;
        }
        return await new DockerArchiveReader(contents, cache, Name, location.Name).ReadAsync(null, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IImage> ReadImageAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var contents = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (location.Format == ArchiveFormat.OciArchive)
        {
            var (reader, indexJson) = await OciReaderAsync(contents, cancellationToken).ConfigureAwait(false);
            var image = await reader.ReadImageAsync(indexJson, location.Name, null, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
            await CacheLayersAsync(contents, image, cancellationToken).ConfigureAwait(false);
            return image;
        }
        return await new DockerArchiveReader(contents, cache, Name, location.Name).ReadAsync(platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An archive keeps no referrers here: a copy with referrers leaves them out.</summary>
    public bool HoldsReferrers => false;

    public Task<IReadOnlyList<Descriptor>> ReferrersAsync(Descriptor subject, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<Descriptor>>([]);

    public Task<IImage> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
        => throw new NotSupportedException($"{Name} lists no referrers, so none can be read from it.");

    public async Task<WriteResult> WriteAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var names = Names(tags);
        var details = await WriteFileAsync((output, token) => ImageArchiveWriter.WriteAsync(output, image, names, token), ImageArchiveWriter.KindOf(image), cancellationToken).ConfigureAwait(false);
        return new WriteResult(names, "Wrote", details) { ArchivePath = location.Path };
    }

    /// <summary>The whole index in the OCI layout inside; docker's manifest.json (no platforms) names the host's image.</summary>
    public async Task<WriteResult> WriteAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken)
    {
        var names = Names(tags);
        var host = HostPlatform.Pick(index);
        var details = await WriteFileAsync((output, token) => ImageArchiveWriter.WriteIndexAsync(output, index, host, names, token),
            $"oci-archive with an index of {index.Images.Count} images (docker's manifest.json: {ImageIndexBuilder.PlatformOf(host)})", cancellationToken).ConfigureAwait(false);
        return new WriteResult(names, "Wrote", details) { ArchivePath = location.Path };
    }

    private IReadOnlyList<string> Names(IReadOnlyList<string> tags) => name is null ? [] : tags.Select(name.NameFor).ToList();

    private async Task<ArchiveContents> OpenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(location.Path))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(Name, Directory.Exists(location.Path)
                ? "it is a folder; write 'oci-layout:' for an OCI layout folder" : "the file does not exist");
        }
        return await ArchiveContents.ReadAsync(location.Path, cache, Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An oci-archive's index.json, and a reader whose layers come from the cache the archive was read into.</summary>
    private async Task<(OciLayoutReader Reader, byte[] IndexJson)> OciReaderAsync(ArchiveContents contents, CancellationToken cancellationToken)
    {
        var indexJson = await contents.ReadAsync(OciLayout.IndexFile, cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BaseImageUnreadable.ToException(Name, $"it has no {OciLayout.IndexFile}, so it is not an OCI archive"
                + (contents.Contains(DockerArchiveManifest.FileName) ? "; it looks like a docker archive: write 'docker-archive:' instead" : ""));
        var origin = $"the base image in {Name}";
        var reader = new OciLayoutReader(Name, contents.ReadBlobAsync, (descriptor, diffId) => new BlobLayer(descriptor, diffId, cache, origin, IsLocal: true));
        return (reader, indexJson);
    }

    /// <summary>Every layer into the cache now (the read pass put the large ones there), so a missing one fails the read, not a later write.</summary>
    private static async Task CacheLayersAsync(ArchiveContents contents, IImage image, CancellationToken cancellationToken)
    {
        foreach (var layer in image.Layers) await contents.EnsureCachedAsync(layer.Descriptor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> WriteFileAsync(Func<Stream, CancellationToken, Task> write, string kind, CancellationToken cancellationToken)
    {
        await CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        var path = location.Path;
        var compressed = IsCompressedName(path);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                // The layers inside are compressed already: the fastest level costs little and gains as much.
                var output = compressed ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : (Stream)file;
                await using (output.ConfigureAwait(false))
                {
                    await write(output, cancellationToken).ConfigureAwait(false);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ContentCache.TryDelete(temp);
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, path, e.Message.TrimEnd('.'));
        }
        catch
        {
            ContentCache.TryDelete(temp);
            throw;
        }

        var size = new FileInfo(path).Length;
        return $"{kind}{(compressed ? ", gzip-compressed" : "")}, '{path}' ({ByteSize.Format(size)})";
    }
}

