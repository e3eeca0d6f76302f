using Containers.Oci.Model;
using Containers.Oci.Registry;
using Containers.Testing.Registry;
using static Containers.Oci.Tests.Registry.InMemory.TestContent;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>The real <see cref="RegistryClient"/> moving blobs to and from an <see cref="InMemoryRegistry"/>: what is stored, and what travelled.</summary>
public sealed class BlobTransferTests
{
    private const long ChunkSize = 1024;
    private readonly InMemoryRegistry _registry = new();

    private RegistryClient Client() => new(Host, _registry.ClientOptions() with { ChunkSize = ChunkSize });

    private IEnumerable<string> Requests() => _registry.Requests.Select(r => r.ToString());

    [Fact]
    public async Task A_ping_reaches_the_registry()
    {
        using var client = Client();

        await client.PingAsync();

        var ping = Assert.Single(_registry.Requests);
        Assert.Equal(("GET", "/v2/", 200), (ping.Method, ping.Path, ping.Status));
    }

    [Fact]
    public async Task A_blob_up_to_the_chunk_size_goes_in_one_put_and_reads_back()
    {
        using var client = Client();
        var blob = Bytes(100);
        var descriptor = Describe(blob);

        await client.UploadBlobAsync("team/app", descriptor, () => Open(blob));

        Assert.Equal(["POST /v2/team/app/blobs/uploads/", "PUT /v2/team/app/blobs/uploads/upload-1"], Requests());
        var put = _registry.Requests[1];
        Assert.Equal(100, put.BodyLength);
        Assert.Contains("digest=" + Uri.EscapeDataString(descriptor.Digest), put.Query, StringComparison.Ordinal);
        Assert.Equal(blob, _registry.Blob("team/app", descriptor.Digest));
        Assert.Equal(blob, await client.GetBlobBytesAsync("team/app", descriptor));
        Assert.Equal((1, 1, 100L, 0), (_registry.UploadsStarted, _registry.BlobsUploaded, _registry.BytesReceived, _registry.OpenUploads));
    }

    [Fact]
    public async Task A_larger_blob_goes_in_patches_of_the_chunk_size_each_to_the_last_location_then_an_empty_put()
    {
        using var client = Client();
        var blob = Bytes(2500);
        var descriptor = Describe(blob);

        await client.UploadBlobAsync("app", descriptor, () => Open(blob));

        var requests = _registry.Requests;
        Assert.Equal(["POST", "PATCH", "PATCH", "PATCH", "PUT"], requests.Select(r => r.Method));
        Assert.All(requests, r => Assert.True(r.Status is 201 or 202, $"{r} answered {r.Status}"));
        var patches = requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(["0-1023", "1024-2047", "2048-2499"], patches.Select(r => r.Header("Content-Range")));
        Assert.Equal(["_state=0", "_state=1024", "_state=2048"], patches.Select(r => r.Query));   // the registry checks it: a stale URL would be refused
        Assert.Equal(0, requests[^1].BodyLength);
        Assert.Equal(blob, _registry.Blob("app", descriptor.Digest));
        Assert.Equal(2500, _registry.BytesReceived);

        var downloaded = Path.Combine(Path.GetTempPath(), $"inmemory-{Guid.NewGuid():N}");
        try
        {
            await client.DownloadBlobAsync("app", descriptor, downloaded);
            Assert.Equal(blob, await File.ReadAllBytesAsync(downloaded));
        }
        finally
        {
            File.Delete(downloaded);
        }
    }

    [Fact]
    public async Task A_registry_that_takes_no_chunks_fails_a_chunked_upload_with_the_coded_error_and_its_code()
    {
        _registry.RefuseChunkedUploads = true;
        using var client = Client();
        var blob = Bytes(2500);

        var error = await Assert.ThrowsAsync<Containers.Oci.Errors.ContainerException>(() => client.UploadBlobAsync("app", Describe(blob), () => Open(blob)));

        Assert.Equal(Containers.Oci.Errors.ErrorCatalogue.BlobUploadFailed.Code, error.Code);
        Assert.Contains("UNSUPPORTED", error.Message, StringComparison.Ordinal);
        Assert.Empty(_registry.Blobs("app"));
    }

    [Fact]
    public async Task Parallel_uploads_of_different_blobs_all_arrive_whole()
    {
        using var client = Client();
        var blobs = Enumerable.Range(1, 8).Select(seed => Bytes(1500 + seed * 300, seed)).ToList();

        await Task.WhenAll(blobs.Select(blob => Task.Run(() => client.UploadBlobAsync("app", Describe(blob), () => Open(blob)))));

        Assert.All(blobs, blob => Assert.Equal(blob, _registry.Blob("app", Describe(blob).Digest)));
        Assert.Equal(8, _registry.BlobsUploaded);
        Assert.Equal(blobs.Sum(b => (long)b.Length), _registry.BytesReceived);
        Assert.Equal(0, _registry.OpenUploads);
    }

    [Fact]
    public async Task A_blob_exists_only_in_the_repository_that_holds_it()
    {
        var digest = Digest.Parse(_registry.AddBlob("base", Bytes(10)));
        using var client = Client();

        Assert.True(await client.BlobExistsAsync("base", digest));
        Assert.False(await client.BlobExistsAsync("app", digest));
        Assert.False(await client.BlobExistsAsync("base", Digest.Sha256(Bytes(10, seed: 2))));
        Assert.Equal([200, 404, 404], _registry.Requests.Select(r => r.Status));
        Assert.All(_registry.Requests, r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task A_mount_links_the_blob_from_the_other_repository_without_sending_it()
    {
        var blob = Bytes(5000);
        var digest = Digest.Parse(_registry.AddBlob("dotnet/runtime", blob));
        using var client = Client();

        Assert.True(await client.TryMountBlobAsync("app", digest, "dotnet/runtime"));

        var mount = Assert.Single(_registry.Requests);
        Assert.Equal(("POST", "/v2/app/blobs/uploads/", 201), (mount.Method, mount.Path, mount.Status));
        Assert.Equal($"mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString("dotnet/runtime")}", mount.Query);
        Assert.Equal(blob, _registry.Blob("app", digest.ToString()));
        Assert.Equal((1, 0, 0L), (_registry.BlobsMounted, _registry.UploadsStarted, _registry.BytesReceived));
    }

    [Fact]
    public async Task A_refused_mount_closes_the_session_it_was_given_and_the_blob_is_then_uploaded()
    {
        _registry.RefuseMounts = true;
        var blob = Bytes(300);
        var descriptor = Describe(blob);
        _registry.AddBlob("base", blob);
        using var client = Client();

        Assert.False(await client.TryMountBlobAsync("app", descriptor.ParsedDigest, "base"));
        Assert.Equal(0, _registry.OpenUploads);   // the 202's session was deleted, not leaked
        await client.UploadBlobAsync("app", descriptor, () => Open(blob));

        Assert.Equal(["POST /v2/app/blobs/uploads/", "DELETE /v2/app/blobs/uploads/upload-1", "POST /v2/app/blobs/uploads/", "PUT /v2/app/blobs/uploads/upload-2"], Requests());
        Assert.Equal([202, 204, 202, 201], _registry.Requests.Select(r => r.Status));
        Assert.Equal(blob, _registry.Blob("app", descriptor.Digest));
        Assert.Equal(0, _registry.BlobsMounted);
    }

    [Fact]
    public async Task A_mount_from_a_repository_without_the_blob_is_declined()
    {
        using var client = Client();

        Assert.False(await client.TryMountBlobAsync("app", Digest.Sha256(Bytes(10)), "elsewhere"));

        Assert.Equal([202, 204], _registry.Requests.Select(r => r.Status));
        Assert.Empty(_registry.Blobs("app"));
    }

    [Fact]
    public async Task The_same_blob_uploaded_twice_at_once_travels_once()
    {
        using var client = Client();
        var blob = Bytes(3000);
        var descriptor = Describe(blob);
        var gate = new TaskCompletionSource();

        // The first upload waits on its content, so the second call certainly comes while it is under way.
        var first = client.UploadBlobAsync("app", descriptor, () => new GatedStream(blob, gate.Task));
        var second = client.UploadBlobAsync("app", descriptor, () => throw new InvalidOperationException("the second call must not open the content"));
        gate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(1, _registry.BlobsUploaded);
        Assert.Equal(3000, _registry.BytesReceived);
    }

    /// <summary>A read-only, non-seekable stream whose reads wait until the gate opens.</summary>
    private sealed class GatedStream(byte[] content, Task gate) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            return await _inner.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
