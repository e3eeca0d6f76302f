namespace Containers.Oci.Diagnostics;

/// <summary>
/// Bytes moving to or from a registry, for a display that shows them (a CLI's progress bars). A build log that also
/// implements this interface is told of every blob transfer; one that does not is never asked to, so the MSBuild log
/// stays as it is. Calls come from several transfers at once.
/// </summary>
public interface ITransferProgress
{
    /// <param name="id">Unique per transfer (the same blob sent twice is two transfers).</param>
    /// <param name="description">What moves and where, e.g. <c>upload sha256:4f1c… to localhost:5000/app</c>.</param>
    /// <param name="total">The size when known.</param>
    void Started(string id, string description, long? total);

    /// <summary><paramref name="bytes"/> more were sent or received.</summary>
    void Advanced(string id, long bytes);

    /// <summary>The transfer's stream was closed: complete, or given up (a retry starts a new transfer).</summary>
    void Finished(string id);
}

/// <summary>A stream that tells an <see cref="ITransferProgress"/> how many bytes pass through it, read or written.</summary>
public sealed class ProgressStream : Stream
{
    private readonly Stream _inner;
    private readonly ITransferProgress _progress;
    private readonly string _id;
    private int _finished;

    public ProgressStream(Stream inner, ITransferProgress progress, string description, long? total)
    {
        _inner = inner;
        _progress = progress;
        _id = Guid.NewGuid().ToString("N");
        progress.Started(_id, description, total);
    }

    public override bool CanRead => _inner.CanRead;
    public override bool CanSeek => _inner.CanSeek;
    public override bool CanWrite => _inner.CanWrite;
    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(_inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Counted(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _inner.Write(buffer, offset, count);
        Counted(count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Counted(buffer.Length);
    }

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);

    private int Counted(int bytes)
    {
        if (bytes > 0) _progress.Advanced(_id, bytes);
        return bytes;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            if (Interlocked.Exchange(ref _finished, 1) == 0) _progress.Finished(_id);
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _finished, 1) == 0) _progress.Finished(_id);
        GC.SuppressFinalize(this);
    }
}
