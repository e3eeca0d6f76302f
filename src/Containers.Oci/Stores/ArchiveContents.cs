using System.Formats.Tar;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// An image archive read in one pass: small files (the JSON documents) kept in memory, every larger file (a layer)
/// streamed straight into the content cache, verified when its name is its digest and digested when it is not. A
/// gzip-compressed archive cannot be read out of order, so one pass is what makes reading it cheap.
/// </summary>
internal sealed class ArchiveContents
{
    private const long InMemoryLimit = 4L * 1024 * 1024;

    private readonly Dictionary<string, byte[]> _small = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Digest Digest, long Size)> _cached = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly ContentCache _cache;
    private readonly string _source;

    private ArchiveContents(ContentCache cache, string source)
    {
        _cache = cache;
        _source = source;
    }

    public static async Task<ArchiveContents> ReadAsync(string path, ContentCache cache, string source, CancellationToken cancellationToken)
    {
        var contents = new ArchiveContents(cache, source);
        try
        {
            await TarArchive.ForEachAsync(path, entry => contents.AddAsync(entry, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(e, source, $"it is not a valid tar archive ({e.Message.TrimEnd('.')})");
        }
        return contents;
    }

    public bool Contains(string name) => _small.ContainsKey(Resolve(name)) || _cached.ContainsKey(Resolve(name));

    /// <summary>A small file's bytes, or null when the archive has no such file.</summary>
    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        name = Resolve(name);
        if (_small.TryGetValue(name, out var bytes)) return bytes;
        if (_cached.TryGetValue(name, out var blob)) return await File.ReadAllBytesAsync(_cache.PathOf(blob.Digest), cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>A blob of an OCI archive, verified against its descriptor.</summary>
    public async Task<byte[]> ReadBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var bytes = await ReadAsync(OciLayout.BlobPath(descriptor.ParsedDigest), cancellationToken).ConfigureAwait(false)
            ?? throw ErrorCatalogue.BlobNotInSource.ToException(descriptor.Digest, _source);
        BlobDigests.Verify(bytes, descriptor, _source);
        return bytes;
    }

    /// <summary>Puts a blob of an OCI archive into the cache (if the pass did not already), verified against its descriptor.</summary>
    public async Task EnsureCachedAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var name = Resolve(OciLayout.BlobPath(descriptor.ParsedDigest));
        if (_cached.TryGetValue(name, out var blob))
        {
            if (blob.Size != descriptor.Size) throw ErrorCatalogue.DigestMismatch.ToException(descriptor.Digest, _source, $"{blob.Size} bytes instead of {descriptor.Size}");
            return;
        }
        if (!_small.TryGetValue(name, out var bytes)) throw ErrorCatalogue.BlobNotInSource.ToException(descriptor.Digest, _source);
        await _cache.AddAsync(descriptor, new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts any file of the archive into the cache; returns its digest and size.</summary>
    public async Task<(Digest Digest, long Size)> CacheFileAsync(string name, CancellationToken cancellationToken)
    {
        name = Resolve(name);
        if (_cached.TryGetValue(name, out var blob)) return blob;
        if (!_small.TryGetValue(name, out var bytes)) throw ErrorCatalogue.BlobNotInSource.ToException(name, _source);
        var (digest, size, _) = await _cache.AddAsync(new MemoryStream(bytes, writable: false), cancellationToken).ConfigureAwait(false);
        _cached[name] = (digest, size);
        return (digest, size);
    }

    private async Task AddAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var name = OciLayout.NormalizeEntryName(entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                break;
            case TarEntryType.SymbolicLink:
                // docker save links a repeated layer to its first copy, relative to the link's folder.
                var folder = name.Contains('/') ? name[..(name.LastIndexOf('/') + 1)] : "";
                _links[name] = Normalize(folder + entry.LinkName);
                return;
            case TarEntryType.HardLink:
                _links[name] = OciLayout.NormalizeEntryName(entry.LinkName);
                return;
            default:
                return;
        }

        if (entry.Length <= InMemoryLimit)
        {
            var bytes = new byte[entry.Length];
            if (entry.DataStream is { } data) await data.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            _small[name] = bytes;
        }
        else if (OciLayout.TryParseBlobPath(name, out var digest))
        {
            var descriptor = new Descriptor { MediaType = "application/octet-stream", Digest = digest.ToString(), Size = entry.Length };
            if (await _cache.TryGetAsync(descriptor, cancellationToken).ConfigureAwait(false) is null)
            {
                await _cache.AddAsync(descriptor, entry.DataStream!, cancellationToken).ConfigureAwait(false);
            }
            _cached[name] = (digest, entry.Length);
        }
        else
        {
            var (blobDigest, size, _) = await _cache.AddAsync(entry.DataStream!, cancellationToken).ConfigureAwait(false);
            _cached[name] = (blobDigest, size);
        }
    }

    private string Resolve(string name)
    {
        name = OciLayout.NormalizeEntryName(name);
        for (var hops = 0; hops < 16 && _links.TryGetValue(name, out var target); hops++) name = target;
        return name;
    }

    /// <summary>Collapses <c>a/../b</c> in a link target.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
