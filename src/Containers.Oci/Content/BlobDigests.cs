using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Content;

/// <summary>Digests of blobs on disk and of blobs being copied, with the algorithm their digest names.</summary>
internal static class BlobDigests
{
    private const int BufferSize = 1 << 16;

    public readonly record struct CopyResult(Digest Digest, long Size);

    /// <summary>A write to the target failed: the caller's storage, not the source, is at fault.</summary>
    public sealed class WriteFailedException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>Throws CONTAINER5004 unless <paramref name="content"/> is exactly what <paramref name="expected"/> describes.</summary>
    public static void Verify(ReadOnlySpan<byte> content, Descriptor expected, string source)
    {
        if (content.Length != expected.Size)
        {
            throw ErrorCatalogue.DigestMismatch.ToException(expected.Digest, source, $"{content.Length} bytes instead of {expected.Size}");
        }
        var actual = DigestAlgorithm.Compute(expected.ParsedDigest.Algorithm, content);
        if (actual != expected.ParsedDigest) throw ErrorCatalogue.DigestMismatch.ToException(expected.Digest, source, actual);
    }

    /// <summary>Throws CONTAINER5004 unless the file is exactly what <paramref name="expected"/> describes.</summary>
    public static async Task VerifyFileAsync(string path, Descriptor expected, string source, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length != expected.Size) throw ErrorCatalogue.DigestMismatch.ToException(expected.Digest, source, $"{length} bytes instead of {expected.Size}");
        var actual = await OfFileAsync(path, expected.ParsedDigest.Algorithm, cancellationToken).ConfigureAwait(false);
        if (actual != expected.ParsedDigest) throw ErrorCatalogue.DigestMismatch.ToException(expected.Digest, source, actual);
    }

    public static async Task<Digest> OfFileAsync(string path, string algorithm, CancellationToken cancellationToken)
    {
        await using var file = ContentCache.OpenRead(path);
        return (await CopyAsync(file, Stream.Null, algorithm, maxSize: null, cancellationToken).ConfigureAwait(false)).Digest;
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> and digests it in the same pass. Stops reading
    /// one byte after <paramref name="maxSize"/>, so a source longer than its descriptor says is not read to its end.
    /// </summary>
    public static async Task<CopyResult> CopyAsync(Stream source, Stream target, string algorithm, long? maxSize, CancellationToken cancellationToken)
    {
        using var hash = DigestAlgorithm.CreateHash(algorithm);
        var buffer = new byte[BufferSize];
        long total = 0;
        while (true)
        {
            var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            total += read;
            if (total > maxSize) break;
            hash.AppendData(buffer, 0, read);
            try
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new WriteFailedException(e);
            }
        }
        try
        {
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new WriteFailedException(e);
        }
        return new CopyResult(new Digest(algorithm, Convert.ToHexStringLower(hash.GetHashAndReset())), total);
    }
}
