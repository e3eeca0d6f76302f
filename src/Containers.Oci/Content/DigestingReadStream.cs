using System.Security.Cryptography;
using Containers.Oci.Model;

namespace Containers.Oci.Content;

/// <summary>A read-only pass-through that digests and counts what is read through it, without judging it.</summary>
internal sealed class DigestingReadStream(Stream inner, string algorithm = "sha256") : ReadOnlyStream
{
    private readonly IncrementalHash _hash = DigestAlgorithm.CreateHash(algorithm);

    public long BytesRead { get; private set; }

    /// <summary>The digest of everything read so far; call once, at the end.</summary>
    public Digest GetDigest() => new(algorithm, Convert.ToHexStringLower(_hash.GetHashAndReset()));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Count(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Count(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        BytesRead += bytes.Length;
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
