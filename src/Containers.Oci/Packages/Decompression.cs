using System.IO.Compression;
using Containers.Oci.Content;

namespace Containers.Oci.Packages;

/// <summary>
/// Opens gzip, zstd, xz or plain content by its first bytes, whatever its name or media type says: base layers,
/// Packages indexes and the <c>data.tar</c> of a .deb come in all four.
/// </summary>
internal static class Decompression
{
    public static Stream Open(Stream input)
    {
        var whole = new BufferedReadStream(input);
        var head = whole.Peek(6);
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b) return new GZipStream(whole, CompressionMode.Decompress);
        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return new ZstdSharp.DecompressionStream(whole);
        if (head.Length >= 6 && head[0] == 0xfd && head[1..6].SequenceEqual("7zXZ\0"u8)) return new SynchronousReads(new SharpCompress.Compressors.Xz.XZStream(whole));
        return whole;
    }

    /// <summary>
    /// Answers asynchronous reads with synchronous ones: SharpCompress's xz decoder is four times slower through its
    /// asynchronous path (measured on a 37 MB data.tar), and decoding is CPU-bound work either way.
    /// </summary>
    private sealed class SynchronousReads(Stream inner) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override int ReadByte() => inner.ReadByte();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(inner.Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Reads its source in 64 KiB blocks, so that a decoder reading a byte at a time (SharpCompress's xz does) costs no
    /// call per byte; lets the format be sniffed without consuming it, and counts its position, which the xz reader asks.
    /// </summary>
    private sealed class BufferedReadStream(Stream source) : ReadOnlyStream
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;
        private long _position;

        /// <summary>Up to <paramref name="count"/> bytes from the current position, not consumed.</summary>
        public byte[] Peek(int count)
        {
            while (_end - _start < count)
            {
                if (_start > 0) { Array.Copy(_buffer, _start, _buffer, 0, _end - _start); _end -= _start; _start = 0; }
                var n = source.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0) break;
                _end += n;
            }
            return _buffer.AsSpan(_start, Math.Min(count, _end - _start)).ToArray();
        }

        public override int ReadByte()
        {
            if (_start == _end && !Fill()) return -1;
            _position++;
            return _buffer[_start++];
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.Length == 0) return 0;
            if (_start == _end)
            {
                // A large read goes straight through, without a copy into the buffer.
                if (buffer.Length >= _buffer.Length) { var direct = source.Read(buffer); _position += direct; return direct; }
                if (!Fill()) return 0;
            }
            var n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            _position += n;
            return n;
        }

        private bool Fill()
        {
            _start = 0;
            _end = source.Read(_buffer, 0, _buffer.Length);
            return _end > 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) source.Dispose();
            base.Dispose(disposing);
        }

        public override long Position { get => _position; set => throw new NotSupportedException(); }
    }
}
