using System.Security.Cryptography;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Content;

namespace Containers.Oci.Registry;

/// <summary>
/// A read-only stream over a blob that checks, as it is read, that the content matches its descriptor: it fails as soon
/// as more bytes arrive than the size says, and at the end if the size or digest differ (CONTAINER5004).
/// So no caller can consume unverified content to the end without noticing.
/// </summary>
internal sealed class VerifyingReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IDisposable? _owner;
    private readonly Descriptor _expected;
    private readonly Digest _expectedDigest;
    private readonly string _source;
    private readonly IncrementalHash _hash;
    private long _read;
    private bool _verified;

    /// <param name="owner">Disposed with the stream, e.g. the HTTP response the content comes from.</param>
    public VerifyingReadStream(Stream inner, Descriptor expected, string source, IDisposable? owner = null)
    {
        _inner = inner;
        _owner = owner;
        _expected = expected;
        _expectedDigest = expected.ParsedDigest;
        _source = source;
        _hash = DigestAlgorithm.CreateHash(_expectedDigest.Algorithm);
    }

    public override long Length => _expected.Size;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try { n = _inner.Read(buffer); }
        catch (IOException e) { throw ReadFailed(e); }
        Account(buffer[..n], atEnd: n == 0 && buffer.Length > 0);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try { n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch (IOException e) { throw ReadFailed(e); }
        Account(buffer.Span[..n], atEnd: n == 0 && buffer.Length > 0);
        return n;
    }

    // A zero-byte read into a non-empty buffer is the end of the content: the moment to check size and digest.
    private void Account(ReadOnlySpan<byte> chunk, bool atEnd)
    {
        if (atEnd)
        {
            VerifyAtEnd();
            return;
        }
        _read += chunk.Length;
        if (_read > _expected.Size) throw Mismatch($"more than the {_expected.Size} bytes its descriptor states");
        _hash.AppendData(chunk);
    }

    private void VerifyAtEnd()
    {
        if (_verified) return;
        if (_read != _expected.Size) throw Mismatch($"{_read} bytes instead of {_expected.Size}");
        var actual = new Digest(_expectedDigest.Algorithm, Convert.ToHexStringLower(_hash.GetHashAndReset()));
        if (actual != _expectedDigest) throw Mismatch(actual.ToString());
        _verified = true;
    }

    // The inner stream is the network: a broken connection is a failed download of this blob, whoever is reading it.
    private ContainerException ReadFailed(IOException e)
        => ErrorCatalogue.BlobDownloadFailed.ToException(e, _expected.Digest, _source, e.Message.TrimEnd('.'));

    private ContainerException Mismatch(string got) => ErrorCatalogue.DigestMismatch.ToException(_expected.Digest, _source, got);


    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
