using System.Text;
using System.Text.Json;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// An OCI image layout folder (<c>oci-layout:/path[:name|@digest]</c>). Read in place: its blobs are verified the first
/// time they are opened. Written by adding: blobs already there are kept (after checking their digest), the index keeps
/// every other image, and an entry with the same name is replaced (the tag moves). Blobs and index.json are written to
/// temporary files and renamed, and builds writing the same folder take turns (a lock on its <c>oci-layout</c> file),
/// so readers and other writers never see a half-written layout.
/// </summary>
/// <param name="name">The name written images get (<c>[registry/]repository:tag</c> per tag).</param>
public sealed class OciLayoutStore(OciLayoutLocation location, ImageName? name = null) : IImageStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    public string Name => location.ToString();

    private string Folder => location.Path;

    public Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(Folder);
        if (File.Exists(Folder)) throw ErrorCatalogue.NotAnOciLayout.ToException(Folder, "it is a file");
        if (folder.Exists && folder.EnumerateFileSystemInfos().Any() && !File.Exists(Path.Combine(Folder, OciLayout.MarkerFile)))
        {
            throw ErrorCatalogue.NotAnOciLayout.ToException(Folder, $"it holds files but no '{OciLayout.MarkerFile}'");
        }
        return Task.CompletedTask;
    }

    public async Task<ITaggable> ReadAsync(CancellationToken cancellationToken)
    {
        var (reader, indexJson) = await OpenForReadingAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadRootAsync(indexJson, location.Name, location.Digest, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IImage> ReadImageAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var (reader, indexJson) = await OpenForReadingAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadImageAsync(indexJson, location.Name, location.Digest, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
    }

    public bool HoldsReferrers => true;

    /// <summary>A layout has no referrers list: every manifest index.json names is read, and those whose subject matches are its referrers.</summary>
    public async Task<IReadOnlyList<Descriptor>> ReferrersAsync(Descriptor subject, CancellationToken cancellationToken)
    {
        var (_, indexJson) = await OpenForReadingAsync(cancellationToken).ConfigureAwait(false);
        var blobs = new OciLayoutBlobs(Folder, Name);
        var referrers = new List<Descriptor>();
        foreach (var entry in ImageDocuments.Parse<LayoutIndex>(indexJson, OciLayout.IndexFile, Name).Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)))
        {
            var manifest = ImageDocuments.Parse<ImageManifest>(await blobs.ReadAllAsync(entry, cancellationToken).ConfigureAwait(false), "manifest", Name);
            if (manifest.Subject?.Digest == subject.Digest && referrers.All(r => r.Digest != entry.Digest))
            {
                referrers.Add(entry with { ArtifactType = manifest.ArtifactType ?? manifest.Config.MediaType, Annotations = manifest.Annotations, Platform = null });
            }
        }
        return referrers;
    }

    public async Task<IImage> ReadManifestAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var (reader, _) = await OpenForReadingAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadManifestAsync(descriptor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteResult> WriteAsync(IImage image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var names = Names(tags);
        var (written, present) = await WriteLockedAsync(async counts =>
        {
            await counts.ImageAsync(image, cancellationToken).ConfigureAwait(false);
            return OciJson.Deserialize<ImageIndex>(ImageArchiveWriter.IndexJson(image, names)).Manifests;
        }, cancellationToken).ConfigureAwait(false);
        return new WriteResult(names, "Wrote", $"OCI layout '{Folder}' ({written} blobs written, {present} already there)");
    }

    /// <summary>Every image's blobs, then the index as a blob, then index.json names the index under each tag.</summary>
    public async Task<WriteResult> WriteAsync(IImageIndex index, IReadOnlyList<string> tags, IReadOnlyList<IReadOnlyList<string>> imageTags, CancellationToken cancellationToken)
    {
        var names = Names(tags);
        var (written, present) = await WriteLockedAsync(async counts =>
        {
            foreach (var image in index.Images) await counts.ImageAsync(image, cancellationToken).ConfigureAwait(false);
            await counts.BytesAsync(index.Descriptor, index.RawManifest, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<Descriptor> entries = names.Count == 0 ? [index.Descriptor] : names.Select(n => OciLayout.Entry(index.Descriptor, n, null)).ToList();
            return entries;
        }, cancellationToken).ConfigureAwait(false);
        return new WriteResult(names, "Wrote", $"OCI layout '{Folder}', an index of {index.Images.Count} images ({written} blobs written, {present} already there)");
    }

    private IReadOnlyList<string> Names(IReadOnlyList<string> tags)
        => name is null ? [] : tags.Select(name.NameFor).ToList();

    private async Task<(OciLayoutReader Reader, byte[] IndexJson)> OpenForReadingAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder)) throw ErrorCatalogue.BaseImageUnreadable.ToException(Name, "the folder does not exist");
        var indexPath = Path.Combine(Folder, OciLayout.IndexFile);
        if (!File.Exists(indexPath))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(Name, $"the folder has no {OciLayout.IndexFile}, so it is not an OCI image layout");
        }
        var blobs = new OciLayoutBlobs(Folder, Name);
        var origin = $"the base image in {Name}";
        var reader = new OciLayoutReader(Name, blobs.ReadAllAsync, (descriptor, diffId) => new BlobLayer(descriptor, diffId, blobs, origin, IsLocal: true));
        return (reader, await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Takes the folder's lock, writes blobs through <paramref name="write"/>, then merges the entries it returns into index.json.</summary>
    private async Task<(int Written, int Present)> WriteLockedAsync(Func<BlobCounts, Task<IReadOnlyList<Descriptor>>> write, CancellationToken cancellationToken)
    {
        await CheckWritableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Folder);
            await using var turn = await TakeTurnAsync(cancellationToken).ConfigureAwait(false);
            var counts = new BlobCounts(this);
            var entries = await write(counts).ConfigureAwait(false);
            await UpdateIndexJsonAsync(entries, cancellationToken).ConfigureAwait(false);
            return (counts.Written, counts.Present);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ErrorCatalogue.ImageWriteFailed.ToException(e, Folder, e.Message.TrimEnd('.'));
        }
    }

    /// <summary>Writes blobs once each and counts what was written and what was there.</summary>
    private sealed class BlobCounts(OciLayoutStore store)
    {
        public int Written { get; private set; }
        public int Present { get; private set; }

        public async Task ImageAsync(IImage image, CancellationToken cancellationToken)
        {
            foreach (var layer in Image.DistinctLayers(image))
            {
                Count(await store.WriteBlobAsync(layer.Descriptor, layer.OpenAsync, cancellationToken).ConfigureAwait(false));
            }
            await BytesAsync(image.Manifest.Config, image.RawConfig, cancellationToken).ConfigureAwait(false);
            await BytesAsync(image.Descriptor, image.RawManifest, cancellationToken).ConfigureAwait(false);
        }

        public async Task BytesAsync(Descriptor descriptor, byte[] bytes, CancellationToken cancellationToken)
            => Count(await store.WriteBlobAsync(descriptor, _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)), cancellationToken).ConfigureAwait(false));

        private void Count(bool written)
        {
            if (written) Written++; else Present++;
        }
    }

    /// <summary>
    /// Locks the layout's <c>oci-layout</c> file (creating it first if needed) for the length of the write. The lock is
    /// on a file that is never replaced or deleted, so two builds can never each hold a lock on a different copy.
    /// </summary>
    private async Task<FileStream> TakeTurnAsync(CancellationToken cancellationToken)
    {
        var marker = Path.Combine(Folder, OciLayout.MarkerFile);
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
        var path = Path.Combine(Folder, OciLayout.BlobPath(digest));
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
            throw ErrorCatalogue.ImageWriteFailed.ToException(e.InnerException!, Folder, e.InnerException!.Message.TrimEnd('.'));
        }
        catch
        {
            ContentCache.TryDelete(temp);
            throw;
        }
    }

    private async Task UpdateIndexJsonAsync(IReadOnlyList<Descriptor> added, CancellationToken cancellationToken)
    {
        var indexPath = Path.Combine(Folder, OciLayout.IndexFile);
        ImageIndex? existing = null;
        if (File.Exists(indexPath))
        {
            var bytes = await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false);
            try
            {
                existing = OciJson.Deserialize<LayoutIndex>(bytes).ToIndex();
            }
            catch (JsonException e)
            {
                throw ErrorCatalogue.NotAnOciLayout.ToException(e, Folder, $"its {OciLayout.IndexFile} is not valid ({e.Message.TrimEnd('.')})");
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
