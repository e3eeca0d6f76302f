using Containers.Oci.Content;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Layers;

/// <summary>
/// Turns a <see cref="LayerPlan"/> into a compressed layer blob (gzip or zstd). The tar is written once; its diff id and the
/// compressed digest are computed in the same pass. The blob is written to a temporary file and renamed into
/// <c>&lt;directory&gt;/&lt;digest&gt;</c>, so a killed build never leaves a partial blob under a final name.
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

    public async Task<FileLayer> WriteAsync(LayerPlan plan, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var tempPath = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            Digest diffId;
            Digest digest;
            long size;
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
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

            var finalPath = Path.Combine(directory, digest.Encoded);
            File.Move(tempPath, finalPath, overwrite: true);
            var descriptor = new Descriptor { MediaType = LayerCompressions.MediaType(_compression), Digest = digest.ToString(), Size = size };
            return new FileLayer(descriptor, diffId.ToString(), finalPath);
        }
        finally
        {
            if (File.Exists(tempPath)) File.Delete(tempPath);
        }
    }
}
