using System.Net.Sockets;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Connects sockets for the registry client and, on a connection that is to carry TLS, looks at the server's first
/// five bytes. A TLS record starts with a content type byte (0x14-0x18), never with 'H'; a server that answers a
/// TLS ClientHello with "HTTP/" is a plain HTTP server. The handshake then fails with
/// <see cref="PlainHttpAnswerException"/> instead of .NET's "Cannot determine the frame size", and the transport
/// reports CONTAINER5111, which says how to mark the registry insecure.
/// </summary>
internal static class PlainHttpAnswerDetector
{
    private static readonly byte[] HttpPrefix = "HTTP/"u8.ToArray();

    /// <summary>For <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var network = new NetworkStream(socket, ownsSocket: true);
        // Only a direct TLS connection to the request's host: through a proxy, the first bytes are the proxy's own HTTP.
        var uri = context.InitialRequestMessage.RequestUri;
        var direct = uri is not null && uri.Scheme == Uri.UriSchemeHttps
                     && string.Equals(uri.IdnHost, context.DnsEndPoint.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == context.DnsEndPoint.Port;
        return direct ? new CheckingStream(network) : network;
    }

    /// <summary>Whether the bytes a TLS client received first are the start of an HTTP response.</summary>
    internal static bool IsHttpAnswer(ReadOnlySpan<byte> first) => first.Length >= HttpPrefix.Length && first[..HttpPrefix.Length].SequenceEqual(HttpPrefix);

    /// <summary>Passes everything through; only the first five bytes read are kept and looked at.</summary>
    private sealed class CheckingStream(NetworkStream inner) : Stream
    {
        private readonly byte[] _first = new byte[HttpPrefix.Length];
        private int _seen;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Check(buffer.Span[..read]);
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Check(buffer[..read]);
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        private void Check(ReadOnlySpan<byte> received)
        {
            if (_seen >= _first.Length || received.IsEmpty) return;
            var take = Math.Min(received.Length, _first.Length - _seen);
            received[..take].CopyTo(_first.AsSpan(_seen));
            _seen += take;
            if (_seen == _first.Length && IsHttpAnswer(_first)) throw new PlainHttpAnswerException();
        }
    }
}

/// <summary>The server answered a TLS handshake with plain HTTP.</summary>
internal sealed class PlainHttpAnswerException() : IOException("The server answered the TLS handshake with a plain HTTP response.");
