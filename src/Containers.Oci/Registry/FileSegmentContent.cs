using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Containers.Oci.Registry.Handlers;
using Microsoft.Win32.SafeHandles;

namespace Containers.Oci.Registry;

/// <summary>
/// A range of an open file as an HTTP body, read by position through a small pooled buffer, so several bodies can share
/// one handle and a file still being written can be sent as far as it is known to be there. A new instance sends the same range again.
/// </summary>
internal sealed class FileSegmentContent : HttpContent
{
    private const int BufferSize = 81920;
    private readonly SafeFileHandle _file;
    private readonly long _offset;
    private readonly long _length;

    /// <param name="withRange">Adds <c>Content-Range: start-end</c>, as a chunked PATCH carries.</param>
    public FileSegmentContent(SafeFileHandle file, long offset, long length, bool withRange)
    {
        _file = file;
        _offset = offset;
        _length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = length;
        // The distribution spec's form, "start-end" inclusive, as ChunkContent sends it.
        if (withRange && length > 0) Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var watchdog = ProgressWatchdog.Current;
        try
        {
            for (var sent = 0L; sent < _length;)
            {
                var read = await RandomAccess.ReadAsync(_file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, _length - sent)), _offset + sent, cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new IOException($"The file ended at {_offset + sent} bytes, before the {_offset + _length} it was said to hold.");
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

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
