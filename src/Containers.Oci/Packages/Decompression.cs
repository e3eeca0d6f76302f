using System.IO.Compression;

namespace Containers.Oci.Packages;

/// <summary>
/// Opens gzip, zstd, xz or plain content by its first bytes, whatever its name or media type says: base layers,
/// Packages indexes and the <c>data.tar</c> of a .deb come in all four.
/// </summary>
internal static class Decompression
{
    public static Stream Open(Stream input)
    {
        var head = new byte[6];
        var read = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var whole = new PrefixedStream(head.AsMemory(0, read), input);
        if (read >= 2 && head[0] == 0x1f && head[1] == 0x8b) return new GZipStream(whole, CompressionMode.Decompress);
        if (read >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return new ZstdSharp.DecompressionStream(whole);
        if (read >= 6 && head[0] == 0xfd && head.AsSpan(1, 5).SequenceEqual("7zXZ\0"u8)) return new SharpCompress.Compressors.Xz.XZStream(whole);
        return whole;
    }

    /// <summary>The bytes already read to sniff the format, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.Length == 0) return rest.Read(buffer);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
