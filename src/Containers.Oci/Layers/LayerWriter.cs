using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Layers;

/// <summary>
/// Turns a <see cref="LayerPlan"/> into a compressed layer blob (gzip or zstd). The tar is written once; its diff id and the
/// compressed digest are computed in the same pass. The blob is written to a temporary file and renamed into
/// <c>&lt;directory&gt;/&lt;digest&gt;</c>, so a killed build never leaves a partial blob under a final name. A write that
/// fails there (a full disk) is CONTAINER5520 naming the folder; a publish file that cannot be read fails as itself.
/// An <see cref="ILayerWriteObserver"/> may follow the compressed bytes as they reach the file.
/// </summary>
public sealed class LayerWriter
{
    private readonly DateTimeOffset _timestamp;
    private readonly LayerCompression _compression;

    public LayerWriter(DateTimeOffset timestamp, LayerCompression compression = LayerCompression.Gzip)
    {
        _timestamp = timestamp;
        _compression = compression;
    }

    public async Task<FileLayer> WriteAsync(LayerPlan plan, string directory, CancellationToken cancellationToken, ILayerWriteObserver? observer = null)
    {
        var tempPath = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            Digest diffId;
            Digest digest;
            long size;
            await using (var file = new TargetStream(OpenTarget(directory, tempPath), observer))
            {
                observer?.Started(tempPath);
                var compressed = new HashingStream(file, leaveOpen: true);
                var compressor = LayerCompressions.Compress(_compression, compressed);
                var uncompressed = new HashingStream(compressor, leaveOpen: true);
                var tar = new DeterministicTarWriter(uncompressed, _timestamp);
                foreach (var entry in plan.Entries)
                {
                    await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                await tar.FinishAsync(cancellationToken).ConfigureAwait(false);
                await uncompressed.FlushAsync(cancellationToken).ConfigureAwait(false);
                diffId = uncompressed.GetDigest();
                await compressor.DisposeAsync().ConfigureAwait(false);
                digest = compressed.GetDigest();
                size = compressed.BytesWritten;
                await compressed.DisposeAsync().ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            observer?.Completed(digest, size);

            var finalPath = Path.Combine(directory, digest.Encoded);
            try
            {
                File.Move(tempPath, finalPath, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(directory, e);
            }
            var descriptor = new Descriptor { MediaType = LayerCompressions.MediaType(_compression), Digest = digest.ToString(), Size = size };
            return new FileLayer(descriptor, diffId.ToString(), finalPath);
        }
        catch (BlobDigests.WriteFailedException e)
        {
            var error = CannotWrite(directory, e.InnerException!);
            observer?.Failed(error);
            throw error;
        }
        catch (Exception e)
        {
            observer?.Failed(e);
            throw;
        }
        finally
        {
            // The same failure that stopped the write may stop this; the temporary name is never read, and pruned later.
            try { File.Delete(tempPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    internal static ContainerException CannotWrite(string directory, Exception e)
        => ErrorCatalogue.LayerCacheWriteFailed.ToException(e, directory, e.Message.TrimEnd('.'));

    private static FileStream OpenTarget(string directory, string tempPath)
    {
        try
        {
            Directory.CreateDirectory(directory);
            // Readable by another handle while written: an observer may read the bytes already there.
            return new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(directory, e);
        }
    }

    /// <summary>
    /// The layer file, whose write failures are told apart from the publish files' read failures on the way: both are
    /// IOExceptions by the time they reach the tar writer, but only the first is the layer cache's. With an observer,
    /// each write is flushed to the file and then reported, so what the observer is told is there can be read.
    /// </summary>
    private sealed class TargetStream(FileStream file, ILayerWriteObserver? observer) : Stream
    {
        private long _written;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                file.Write(buffer);
                if (observer is not null) file.Flush();
            }
            catch (IOException e) { throw new BlobDigests.WriteFailedException(e); }
            Report(buffer.Length);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (observer is not null) await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) { throw new BlobDigests.WriteFailedException(e); }
            Report(buffer.Length);
        }

        private void Report(int count)
        {
            _written += count;
            observer?.Grew(_written);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => Guard(file.Flush);

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            try { await file.FlushAsync(cancellationToken).ConfigureAwait(false); }
            catch (IOException e) { throw new BlobDigests.WriteFailedException(e); }
        }

        public override async ValueTask DisposeAsync()
        {
            try { await file.DisposeAsync().ConfigureAwait(false); }
            catch (IOException e) { throw new BlobDigests.WriteFailedException(e); }
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Guard(file.Dispose);
            base.Dispose(disposing);
        }

        private static void Guard(Action write)
        {
            try { write(); }
            catch (IOException e) { throw new BlobDigests.WriteFailedException(e); }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
