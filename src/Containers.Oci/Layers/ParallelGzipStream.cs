using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Containers.Oci.Layers;

/// <summary>
/// A write-only gzip compressor that uses every core: the input is cut into fixed-size chunks, each chunk is deflated on
/// its own (in parallel) and ended with a sync flush, and the pieces are written in order as one gzip member (the
/// technique of pigz, without its dictionary priming). The result is a single ordinary gzip stream that any gunzip
/// reads.
/// <para>
/// The output depends only on the input, the chunk size and the level, never on the number of cores or the timing,
/// so a layer's digest is reproducible. The header is fixed (no name, no time, OS "unknown"), unlike zlib's, whose OS
/// byte differs between Windows and Unix.
/// </para>
/// </summary>
public sealed class ParallelGzipStream : Stream
{
    /// <summary>The input of one deflate piece. Part of the output format: changing it changes every layer digest.</summary>
    public const int DefaultChunkSize = 1 << 20;

    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown): RFC 1952 §2.3.
    private static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

    private static readonly byte[] EmptyFinalBlock = [0x03, 0x00];

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly CompressionLevel _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<Piece>> _inFlight = new();
    private readonly Crc32 _crc = new();
    private byte[] _chunk;
    private int _chunkLength;
    private long _totalLength;
    private bool _headerWritten;
    private bool _finished;

    public ParallelGzipStream(Stream output, CompressionLevel level = CompressionLevel.Optimal, bool leaveOpen = false, int chunkSize = DefaultChunkSize, int? parallelism = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _output = output;
        _leaveOpen = leaveOpen;
        _level = level;
        _chunkSize = chunkSize;
        // One piece in flight per core (the deflate workers' count) keeps them busy; memory stays at about
        // 2 x chunk size per piece, whatever the input size.
        _maxInFlight = Math.Max(1, parallelism ?? Environment.ProcessorCount);
        _chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Fill(buffer);
            buffer = buffer[take..];
            if (_chunkLength == _chunkSize)
            {
                var oldest = Dispatch(final: false);
                if (oldest is not null) WritePiece(oldest.GetAwaiter().GetResult());
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Fill(buffer.Span);
            buffer = buffer[take..];
            if (_chunkLength == _chunkSize)
            {
                var oldest = Dispatch(final: false);
                if (oldest is not null) await WritePieceAsync(await oldest.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Flushing would end a piece early and so change the output; the data goes out when the stream is finished.</summary>
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Compresses what is left, writes every piece in order and the gzip trailer. Called by Dispose.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        if (_finished) return;
        _finished = true;
        if (Dispatch(final: true) is { } oldest) await WritePieceAsync(await oldest.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        while (_inFlight.Count > 0)
        {
            await WritePieceAsync(await _inFlight.Dequeue().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        await _output.WriteAsync(Trailer(), cancellationToken).ConfigureAwait(false);
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        if (Dispatch(final: true) is { } oldest) WritePiece(oldest.GetAwaiter().GetResult());
        while (_inFlight.Count > 0) WritePiece(_inFlight.Dequeue().GetAwaiter().GetResult());
        _output.Write(Trailer());
    }

    private int Fill(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var take = Math.Min(buffer.Length, _chunkSize - _chunkLength);
        buffer[..take].CopyTo(_chunk.AsSpan(_chunkLength));
        _chunkLength += take;
        return take;
    }

    /// <summary>Starts compressing the current chunk; returns the oldest piece when too many are in flight.</summary>
    private Task<Piece>? Dispatch(bool final)
    {
        var chunk = _chunk;
        var length = _chunkLength;
        _crc.Append(chunk.AsSpan(0, length));
        _totalLength += length;
        var level = _level;
        _inFlight.Enqueue(DeflateWorkers.Run(() => Deflate(chunk, length, level, final)));
        _chunk = final ? [] : ArrayPool<byte>.Shared.Rent(_chunkSize);
        _chunkLength = 0;
        return _inFlight.Count >= _maxInFlight ? _inFlight.Dequeue() : null;
    }

    /// <summary>
    /// Raw deflate of one chunk. A middle piece ends with a sync flush (an empty stored block, byte-aligned, not final),
    /// so the next piece can follow it directly; the last piece ends with the final block.
    /// </summary>
    private static Piece Deflate(byte[] chunk, int length, CompressionLevel level, bool final)
    {
        try
        {
            // DeflateStream writes nothing at all for no input; an empty last piece is the fixed-Huffman final block
            // holding only end-of-block.
            if (length == 0) return final ? new Piece(EmptyFinalBlock, EmptyFinalBlock.Length, Pooled: false) : new Piece([], 0, Pooled: false);
            var output = new PooledBuffer(length / 2 + 64);
            int pieceLength;
            using (var deflate = new DeflateStream(output, level, leaveOpen: true))
            {
                deflate.Write(chunk, 0, length);
                deflate.Flush();   // Z_SYNC_FLUSH: everything so far, then 00 00 FF FF
                pieceLength = (int)output.Length;
            }
            // Disposing added the final (empty) block: keep it only for the last piece.
            if (final) pieceLength = (int)output.Length;
            return new Piece(output.Buffer, pieceLength, Pooled: true);
        }
        finally
        {
            if (chunk.Length > 0) ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void WritePiece(Piece piece)
    {
        if (!_headerWritten) { _output.Write(Header); _headerWritten = true; }
        _output.Write(piece.Buffer, 0, piece.Length);
        piece.Release();
    }

    private async ValueTask WritePieceAsync(Piece piece, CancellationToken cancellationToken)
    {
        if (!_headerWritten) { await _output.WriteAsync(Header, cancellationToken).ConfigureAwait(false); _headerWritten = true; }
        await _output.WriteAsync(piece.Buffer.AsMemory(0, piece.Length), cancellationToken).ConfigureAwait(false);
        piece.Release();
    }

    /// <summary>CRC-32 of the whole input, then its length modulo 2^32, both little-endian (RFC 1952 §2.3.1).</summary>
    private byte[] Trailer()
    {
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)_totalLength));
        return trailer;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                Finish();
            }
            finally
            {
                if (!_leaveOpen) _output.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);   // Dispose(true): finished already; closes the output unless left open
    }

    /// <summary>A compressed piece; its buffer goes back to the pool once written (the pieces are large: without the pool
    /// each would be a new large-object allocation that only a full collection frees).</summary>
    private readonly record struct Piece(byte[] Buffer, int Length, bool Pooled)
    {
        public void Release()
        {
            if (Pooled) ArrayPool<byte>.Shared.Return(Buffer);
        }
    }

    /// <summary>A write-only stream into a pooled array that grows (by renting a larger one) as needed.</summary>
    private sealed class PooledBuffer(int capacity) : Stream
    {
        public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(capacity);

        private int _length;

        public override long Length => _length;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_length + buffer.Length > Buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, _length + buffer.Length));
                Buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = larger;
            }
            buffer.CopyTo(Buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
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
