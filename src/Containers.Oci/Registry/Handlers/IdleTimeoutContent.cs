using System.Net;
using Containers.Oci.Content;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// A response body whose every read must bring bytes within the response timeout: a registry that sends its headers
/// and then stalls (mid-manifest or mid-layer) fails with CONTAINER5110 instead of hanging the build. Buffered and
/// streamed reads both go through it, since HttpClient buffers a body above the handler chain.
/// </summary>
internal sealed class IdleTimeoutContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Func<Exception, Exception> _timedOut;
    private readonly TimeSpan _limit;

    /// <param name="timedOut">Makes the coded error from the cancellation.</param>
    public IdleTimeoutContent(HttpContent inner, TimeSpan limit, Func<Exception, Exception> timedOut)
    {
        _inner = inner;
        _limit = limit;
        _timedOut = timedOut;
        foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => new IdleTimeoutStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _limit, _timedOut);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    private sealed class IdleTimeoutStream(Stream inner, TimeSpan limit, Func<Exception, Exception> timedOut) : ReadOnlyStream
    {

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(limit);
            try
            {
                return await inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw timedOut(e);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // Synchronous reads have no cancellation to bound them; everything here reads asynchronously.
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);


        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
