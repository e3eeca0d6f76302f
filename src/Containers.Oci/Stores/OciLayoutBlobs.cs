using System.Collections.Concurrent;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Model;

namespace Containers.Oci.Stores;

/// <summary>
/// The blobs of an OCI layout folder, read in place. Each is checked against its digest and size the first time it
/// is opened: a layout is someone else's folder, and what it holds is verified before it goes into an image.
/// </summary>
public sealed class OciLayoutBlobs(string folder, string source) : IBlobSource
{
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public async Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var path = PathOf(descriptor);
        if (!_verified.ContainsKey(descriptor.Digest))
        {
            await BlobDigests.VerifyFileAsync(path, descriptor, source, cancellationToken).ConfigureAwait(false);
            _verified[descriptor.Digest] = true;
        }
        return ContentCache.OpenRead(path);
    }

    /// <summary>A small blob (index, manifest, config) in memory, verified.</summary>
    internal async Task<byte[]> ReadAllAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(PathOf(descriptor), cancellationToken).ConfigureAwait(false);
        BlobDigests.Verify(bytes, descriptor, source);
        return bytes;
    }

    private string PathOf(Descriptor descriptor)
    {
        var path = Path.Combine(folder, OciLayout.BlobPath(descriptor.ParsedDigest));
        return File.Exists(path) ? path : throw ErrorCatalogue.BlobNotInSource.ToException(descriptor.Digest, source);
    }
}
