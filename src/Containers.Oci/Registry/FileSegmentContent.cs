using System.Buffers;
using System.Net;
using Containers.Oci.Registry.Handlers;
using Microsoft.Win32.SafeHandles;

namespace Containers.Oci.Registry;

/// <summary>
/// A range of an open file as an HTTP body, read by position through a small pooled buffer, so several bodies can share
/// one handle and a file still being written can be sent as far as it is known to be there. A new instance sends the same range again.
/// </summary>
internal sealed class FileSegmentContent(SafeFileHandle file, long offset, long length, bool withRange) : RangeContent(offset, length, withRange)
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var watchdog = ProgressWatchdog.Current;
        try
        {
            for (var sent = 0L; sent < Count;)
            {
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, Count - sent)), Start + sent, cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new IOException($"The file ended at {Start + sent} bytes, before the {Start + Count} it was said to hold.");
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                watchdog?.Progress();
                sent += read;
            }
            watchdog?.BodySent();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
