using System.Text;
using System.Text.Json;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Images.Sources;
using Containers.Oci.Model;

namespace Containers.Oci.Destinations;

/// <summary>
/// Adds the image to an OCI image layout folder (ContainerOciLayoutPath). Blobs already there are kept (after checking
/// their digest), the index keeps every other image, and an entry with the same name is replaced: the tag moves.
/// Blobs and index.json are written to temporary files and renamed, and builds writing the same folder take turns
/// (a lock on its <c>oci-layout</c> file), so readers and other writers never see a half-written layout.
/// </summary>
public sealed class OciLayoutDestination(OciLayoutTarget target) : IImageDestination
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    public Task CheckAsync(CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(target.Path);
        if (File.Exists(target.Path)) throw ErrorCatalogue.NotAnOciLayout.ToException(target.Path, "it is a file");
        if (folder.Exists && folder.EnumerateFileSystemInfos().Any() && !File.Exists(Path.Combine(target.Path, OciLayout.MarkerFile)))
        {
            throw ErrorCatalogue.NotAnOciLayout.ToException(target.Path, $"it holds files but no '{OciLayout.MarkerFile}'");
        }
        return Task.CompletedTask;
    }

    public async Task<DestinationResult> WriteAsync(BuiltImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        var names = tags.Select(target.NameFor).ToList();
        int written = 0, present = 0;
        try
        {
            Directory.CreateDirectory(target.Path);
            await using var turn = await TakeTurnAsync(cancellationToken).ConfigureAwait(false);

            (written, present) = await WriteImageBlobsAsync(image, cancellationToken).ConfigureAwait(false);
            var added = OciJson.Deserialize<ImageIndex>(ImageArchiveWriter.IndexJson(image, names)).Manifests;
            await UpdateIndexJsonAsync(added, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, target.Path, e.Message.TrimEnd('.'));
        }
        return new DestinationResult(names, "Wrote", $"OCI layout '{target.Path}' ({written} blobs written, {present} already there)");
    }

    /// <summary>Every image's blobs, then the index as a blob, then index.json names the index under each tag.</summary>
    public async Task<DestinationResult> WriteIndexAsync(BuiltIndex index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken).ConfigureAwait(false);
        var names = tags.Select(target.NameFor).ToList();
        int written = 0, present = 0;
        try
        {
            Directory.CreateDirectory(target.Path);
            await using var turn = await TakeTurnAsync(cancellationToken).ConfigureAwait(false);
            foreach (var image in index.Images)
            {
                var (w, p) = await WriteImageBlobsAsync(image, cancellationToken).ConfigureAwait(false);
                written += w;
                present += p;
            }
            if (await WriteBlobAsync(index.Descriptor, _ => Task.FromResult<Stream>(new MemoryStream(index.Index, writable: false)), cancellationToken).ConfigureAwait(false)) written++; else present++;
            await UpdateIndexJsonAsync(names.Select(n => OciLayout.Entry(index.Descriptor, n, null)).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, target.Path, e.Message.TrimEnd('.'));
        }
        return new DestinationResult(names, "Wrote", $"OCI layout '{target.Path}', an index of {index.Images.Count} images ({written} blobs written, {present} already there)");
    }

    /// <summary>Layers, config and manifest of one image; returns how many were written and how many were there.</summary>
    private async Task<(int Written, int Present)> WriteImageBlobsAsync(BuiltImage image, CancellationToken cancellationToken)
    {
        int written = 0, present = 0;
        foreach (var layer in ImageBlobs.Distinct(image))
        {
            var added = await WriteBlobAsync(layer.Descriptor, token => ImageBlobs.OpenLayerAsync(image, layer, token), cancellationToken).ConfigureAwait(false);
            if (added) written++; else present++;
        }
        foreach (var (descriptor, bytes) in new[] { (image.ConfigDescriptor, image.Config), (image.ManifestDescriptor, image.Manifest) })
        {
            var added = await WriteBlobAsync(descriptor, _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)), cancellationToken).ConfigureAwait(false);
            if (added) written++; else present++;
        }
        return (written, present);
    }

    /// <summary>
    /// Locks the layout's <c>oci-layout</c> file (creating it first if needed) for the length of the write. The lock is
    /// on a file that is never replaced or deleted, so two builds can never each hold a lock on a different copy.
    /// </summary>
    private async Task<FileStream> TakeTurnAsync(CancellationToken cancellationToken)
    {
        var marker = Path.Combine(target.Path, OciLayout.MarkerFile);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                var file = new FileStream(marker, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (file.Length == 0)
                {
                    await file.WriteAsync(Encoding.UTF8.GetBytes(OciLayout.MarkerContent), cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                return file;
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(marker))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes a blob unless an intact copy is there; returns whether it wrote one.</summary>
    private async Task<bool> WriteBlobAsync(Descriptor descriptor, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        var digest = descriptor.ParsedDigest;
        var path = Path.Combine(target.Path, OciLayout.BlobPath(digest));
        if (File.Exists(path) && new FileInfo(path).Length == descriptor.Size
            && await BlobDigests.OfFileAsync(path, digest.Algorithm, cancellationToken).ConfigureAwait(false) == digest)
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            BlobDigests.CopyResult copied;
            await using (var content = await open(cancellationToken).ConfigureAwait(false))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                copied = await BlobDigests.CopyAsync(content, file, digest.Algorithm, descriptor.Size, cancellationToken).ConfigureAwait(false);
            }
            if (copied.Size != descriptor.Size || copied.Digest != digest)
            {
                throw ErrorCatalogue.DigestMismatch.ToException(descriptor.Digest, "the image being written",
                    copied.Size != descriptor.Size ? $"{copied.Size} bytes instead of {descriptor.Size}" : copied.Digest);
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (BlobDigests.WriteFailedException e)
        {
            ContentCache.TryDelete(temp);
            throw ErrorCatalogue.ImageWriteFailed.ToException(e.InnerException!, target.Path, e.InnerException!.Message.TrimEnd('.'));
        }
        catch
        {
            ContentCache.TryDelete(temp);
            throw;
        }
    }

    private async Task UpdateIndexJsonAsync(IReadOnlyList<Descriptor> added, CancellationToken cancellationToken)
    {
        var indexPath = Path.Combine(target.Path, OciLayout.IndexFile);
        ImageIndex? existing = null;
        if (File.Exists(indexPath))
        {
            var bytes = await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false);
            try
            {
                existing = OciJson.Deserialize<ImageDocuments.LayoutIndex>(bytes).ToIndex();
            }
            catch (JsonException e)
            {
                throw ErrorCatalogue.NotAnOciLayout.ToException(e, target.Path, $"its {OciLayout.IndexFile} is not valid ({e.Message.TrimEnd('.')})");
            }
        }
        var merged = OciLayout.Merge(existing, added);

        var temp = $"{indexPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, OciJson.Serialize(merged), cancellationToken).ConfigureAwait(false);
            File.Move(temp, indexPath, overwrite: true);
        }
        catch
        {
            ContentCache.TryDelete(temp);
            throw;
        }
    }
}
