using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry.Handlers;

namespace Containers.Oci.Registry;

/// <summary>
/// The content of one blob upload, readable from any offset as often as needed: a seekable stream (a file) is moved,
/// any other (another registry's blob) is opened again and read up to the offset. Used by one upload at a time.
/// </summary>
internal sealed class UploadSource(Func<CancellationToken, Task<Stream>> open, Descriptor descriptor, string target) : IAsyncDisposable
{
    private const int SkipBufferSize = 81920;
    private Stream? _stream;
    private long _position = -1;

    public Descriptor Descriptor => descriptor;

    /// <summary>How often the content was opened: once, unless a resume needed bytes a non-seekable stream had passed.</summary>
    public int Opens { get; private set; }

    /// <summary>The content, positioned at <paramref name="offset"/>.</summary>
    public async Task<Stream> AtAsync(long offset, CancellationToken cancellationToken)
    {
        if (_stream is not null && _position == offset) return _stream;
        if (_stream is { CanSeek: true })
        {
            _stream.Seek(offset, SeekOrigin.Begin);
            _position = offset;
            return _stream;
        }
        await CloseAsync().ConfigureAwait(false);
        _stream = await open(cancellationToken).ConfigureAwait(false);
        Opens++;
        if (_stream.CanSeek) _stream.Seek(offset, SeekOrigin.Begin);
        else await SkipAsync(_stream, offset, cancellationToken).ConfigureAwait(false);
        _position = offset;
        return _stream;
    }

    public void Advance(int count) => _position += count;

    /// <summary>After a failed read the position is unknown: the next <see cref="AtAsync"/> seeks or reopens.</summary>
    public void Invalidate() => _position = -1;

    public ContainerException EndedEarly(long offset)
        => ErrorCatalogue.BlobUploadFailed.ToException(descriptor.Digest, target, $"its content ended after {offset} of the {descriptor.Size} bytes its descriptor states");

    public ValueTask DisposeAsync() => new(CloseAsync());

    private async Task CloseAsync()
    {
        if (_stream is not null) await _stream.DisposeAsync().ConfigureAwait(false);
        _stream = null;
        _position = -1;
    }

    private async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SkipBufferSize);
        try
        {
            for (var skipped = 0L; skipped < count;)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - skipped)), cancellationToken).ConfigureAwait(false);
                if (read == 0) throw EndedEarly(skipped);
                skipped += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// A range of a blob as an octet-stream HTTP body of known length, with the distribution spec's <c>Content-Range</c> when
/// it is a chunked PATCH's. What the range is read from is the subclass's.
/// </summary>
internal abstract class RangeContent : HttpContent
{
    protected const int BufferSize = 81920;
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    /// <summary>Where the range starts in the blob.</summary>
    protected long Start { get; }

    /// <summary>How many bytes the range holds.</summary>
    protected long Count { get; }

    /// <param name="withRange">Adds <c>Content-Range: start-end</c>, as a chunked PATCH carries.</param>
    protected RangeContent(long offset, long length, bool withRange)
    {
        Start = offset;
        Count = length;
        Headers.ContentType = OctetStream;
        Headers.ContentLength = length;
        // The distribution spec's form, "start-end" inclusive, not RFC 9110's "bytes start-end/size".
        if (withRange && length > 0) Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected abstract override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = Count;
        return true;
    }
}

/// <summary>
/// One range of an upload's content as an HTTP body, streamed from the <see cref="UploadSource"/> through a small pooled
/// buffer: memory stays the same whatever the blob's size. A new instance can send the same range again.
/// </summary>
internal sealed class ChunkContent(UploadSource source, long offset, long length, bool withRange) : RangeContent(offset, length, withRange)
{
    private readonly UploadSource _source = source;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Count == 0) return;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        // Bytes going out are progress: a slow upload is never cut while they move. Reading the source is not the
        // registry's doing (another registry's blob has its own timeout), so the watchdog waits then.
        var watchdog = ProgressWatchdog.Current;
        try
        {
            watchdog?.Pause();
            var source = await _source.AtAsync(Start, cancellationToken).ConfigureAwait(false);
            for (var sent = 0L; sent < Count;)
            {
                int read;
                try
                {
                    watchdog?.Pause();
                    read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, Count - sent)), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    _source.Invalidate();
                    throw;
                }
                finally
                {
                    watchdog?.Progress();
                }
                if (read == 0)
                {
                    _source.Invalidate();
                    throw _source.EndedEarly(Start + sent);
                }
                _source.Advance(read);
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                watchdog?.Progress();
                sent += read;
            }
            watchdog?.BodySent();
            // At the end of the blob, read once more: a verifying source checks its digest then, and a longer one shows.
            if (Start + Count == _source.Descriptor.Size && await source.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0)
            {
                _source.Invalidate();
                throw ErrorCatalogue.DigestMismatch.ToException(_source.Descriptor.Digest, "its source", $"more than the {_source.Descriptor.Size} bytes its descriptor states");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
