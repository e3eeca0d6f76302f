using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Registry;

namespace Containers.Oci.Tests.Registry;

/// <summary>Chunked uploads, resuming from the registry's Range, starting again, and the retries around them.</summary>
public sealed class UploadProtocolTests
{
    private const string Registry = "registry.example.com";
    private static readonly byte[] Blob = "0123456789"u8.ToArray();
    private static readonly Descriptor BlobDescriptor = new() { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(Blob).ToString(), Size = Blob.Length };

    private static RegistryClient Client(HttpMessageHandler handler, int maxRetries = 3, long chunkSize = 4)
    {
        var client = new RegistryClient(Registry, new RegistryClientOptions
        {
            ChunkSize = chunkSize,
            MaxRetries = maxRetries,
            Environment = new Dictionary<string, string>(),
        }, handler);
        client.Transport.Settings.Retry.Wait = (_, _) => Task.CompletedTask;
        return client;
    }

    /// <summary>A registry that keeps what PATCHes send (ignoring Content-Range, as Distribution does) and checks the digest at the PUT.</summary>
    private sealed class ChunkStore
    {
        public List<byte> Received { get; } = [];
        public int Sessions { get; private set; }

        public HttpResponseMessage Start()
        {
            Sessions++;
            Received.Clear();
            return FakeRegistryHandler.Answer(HttpStatusCode.Accepted, headers: ("Location", $"/v2/app/blobs/uploads/s{Sessions}?_state={Received.Count}"));
        }

        public HttpResponseMessage Append(RecordedRequest request)
        {
            Received.AddRange(request.Body!);
            return FakeRegistryHandler.Answer(HttpStatusCode.Accepted, headers: [("Location", $"/v2/app/blobs/uploads/s{Sessions}?_state={Received.Count}"), ("Range", $"0-{Received.Count - 1}")]);
        }

        public HttpResponseMessage Status() => FakeRegistryHandler.Answer(HttpStatusCode.NoContent,
            headers: [("Location", $"/v2/app/blobs/uploads/s{Sessions}?_state=resumed{Received.Count}"), ("Range", $"0-{Math.Max(0, Received.Count - 1)}")]);

        public HttpResponseMessage Close(RecordedRequest request)
        {
            Received.AddRange(request.Body ?? []);
            return Digest.Sha256(Received.ToArray()) == BlobDescriptor.ParsedDigest
                ? FakeRegistryHandler.Answer(HttpStatusCode.Created)
                : FakeRegistryHandler.Answer(HttpStatusCode.BadRequest, """{"errors":[{"code":"DIGEST_INVALID","message":"digest did not match"}]}""");
        }
    }

    private static FakeRegistryHandler Registry_(ChunkStore store, Func<RecordedRequest, int, HttpResponseMessage?>? fault = null)
    {
        var patches = 0;
        return new FakeRegistryHandler(request =>
        {
            var patch = request.Method == HttpMethod.Patch ? ++patches : 0;
            if (fault?.Invoke(request, patch) is { } injected) return injected;
            return request.Method.Method switch
            {
                "POST" => store.Start(),
                "PATCH" => store.Append(request),
                "GET" => store.Status(),
                "PUT" => store.Close(request),
                _ => FakeRegistryHandler.Answer(HttpStatusCode.NotFound),
            };
        });
    }

    [Fact]
    public async Task A_large_blob_goes_in_patches_of_the_chunk_size_each_with_its_Content_Range_then_an_empty_put()
    {
        var store = new ChunkStore();
        var handler = Registry_(store);
        using var client = Client(handler);

        await client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));

        Assert.Equal(["POST", "PATCH", "PATCH", "PATCH", "PUT"], handler.Requests.Select(r => r.Method.Method));
        Assert.Equal(["0-3", "4-7", "8-9"], handler.Requests.Where(r => r.Method == HttpMethod.Patch).Select(r => r.ContentRange()));
        Assert.Equal(["0123", "4567", "89"], handler.Requests.Where(r => r.Method == HttpMethod.Patch).Select(r => r.BodyText()));
        Assert.Equal("?_state=8", handler.Requests[3].Uri.Query);   // each step goes to the Location of the one before
        Assert.Empty(handler.Requests[4].Body!);
        Assert.StartsWith("?_state=10&digest=sha256%3A", handler.Requests[4].Uri.Query);
    }

    [Fact]
    public async Task A_failed_chunk_resumes_at_the_Range_the_registry_reports()
    {
        var store = new ChunkStore();
        var handler = Registry_(store, (_, patch) => patch == 2 ? FakeRegistryHandler.Answer(HttpStatusCode.ServiceUnavailable) : null);
        using var client = Client(handler);

        await client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));

        Assert.Equal(["POST", "PATCH", "PATCH", "GET", "PATCH", "PATCH", "PUT"], handler.Requests.Select(r => r.Method.Method));
        Assert.Equal("?_state=resumed4", handler.Requests[4].Uri.Query);
        Assert.Equal("4-7", handler.Requests[4].ContentRange());
        Assert.Equal(1, store.Sessions);
    }

    [Fact]
    public async Task A_dropped_connection_mid_chunk_resumes_and_a_non_seekable_source_is_opened_again_and_skipped()
    {
        var store = new ChunkStore();
        var handler = Registry_(store, (request, patch) => patch == 3 ? throw new HttpRequestException("Error while copying content to a stream.", new IOException("Broken pipe")) : null);
        using var client = Client(handler);
        var opened = 0;

        await client.UploadBlobAsync("app", BlobDescriptor, _ =>
        {
            opened++;
            return Task.FromResult<Stream>(new NonSeekableStream(Blob));
        });

        Assert.Equal(Blob, store.Received);
        Assert.Equal(2, opened);   // the failed chunk's bytes were already read: opened again and read up to byte 8
    }

    [Fact]
    public async Task A_session_the_registry_lost_is_started_again_from_the_first_byte()
    {
        var store = new ChunkStore();
        var lost = false;
        var handler = Registry_(store, (request, patch) =>
        {
            if (patch == 2) return FakeRegistryHandler.Answer(HttpStatusCode.InternalServerError);
            if (request.Method == HttpMethod.Get && !lost)
            {
                lost = true;
                return FakeRegistryHandler.Answer(HttpStatusCode.NotFound, """{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry"}]}""");
            }
            return null;
        });
        using var client = Client(handler);

        await client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));

        Assert.Equal(2, store.Sessions);
        Assert.Equal(Blob, store.Received);
    }

    [Fact]
    public async Task A_small_blob_that_fails_is_sent_again_in_a_new_session()
    {
        var store = new ChunkStore();
        var puts = 0;
        var handler = Registry_(store, (request, _) => request.Method == HttpMethod.Put && ++puts == 1 ? FakeRegistryHandler.Answer(HttpStatusCode.BadGateway) : null);
        using var client = Client(handler, chunkSize: 1024);

        await client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));

        Assert.Equal(["POST", "PUT", "DELETE", "POST", "PUT"], handler.Requests.Select(r => r.Method.Method));   // the first session cancelled
        Assert.Equal(Blob, handler.Requests[4].Body);
    }

    [Fact]
    public async Task Failures_in_a_row_are_bounded_and_end_in_CONTAINER5107_naming_the_step()
    {
        var handler = Registry_(new ChunkStore(), (request, patch) => patch >= 2 ? FakeRegistryHandler.Answer(HttpStatusCode.ServiceUnavailable) : null);
        using var client = Client(handler, maxRetries: 2);

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob)));

        Assert.Equal(ErrorCatalogue.BlobUploadRetriesExhausted.Code, error.Code);
        Assert.Contains("PATCH /v2/app/blobs/uploads/s1 failed 3 times in a row", error.Message);
        Assert.Contains("503", error.Message);
    }

    [Fact]
    public async Task Two_uploads_of_the_same_blob_at_once_send_it_once()
    {
        var gate = new TaskCompletionSource();
        var store = new ChunkStore();
        var inner = Registry_(store);
        var handler = new GatedHandler(inner, gate.Task);
        using var client = Client(handler, chunkSize: 1024);

        var first = client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));
        var second = client.UploadBlobAsync("app", BlobDescriptor, () => new MemoryStream(Blob));
        gate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(1, store.Sessions);
    }

    [Fact]
    public async Task Requests_without_a_body_are_retried_on_503_and_dropped_connections_but_not_on_a_refused_connection()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => FakeRegistryHandler.Answer(HttpStatusCode.ServiceUnavailable),
            () => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
            // A registry's "present": 200 with the blob's digest (a bare 200 confirms nothing, see FalseSuccessTests).
            () => FakeRegistryHandler.Answer(HttpStatusCode.OK, "", null, ("Docker-Content-Digest", BlobDescriptor.Digest)),
        ]);
        var handler = new FakeRegistryHandler(_ => answers.Dequeue()());
        using (var client = Client(handler))
        {
            Assert.True(await client.BlobExistsAsync("app", BlobDescriptor.ParsedDigest));
        }
        Assert.Equal(3, handler.Requests.Count);

        var refused = new FakeRegistryHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (registry.example.com:443)"));
        using (var client = Client(refused))
        {
            var error = await Assert.ThrowsAsync<ContainerException>(() => client.BlobExistsAsync("app", BlobDescriptor.ParsedDigest));
            Assert.Equal(ErrorCatalogue.RegistryUnreachable.Code, error.Code);
        }
        Assert.Single(refused.Requests);
    }

    [Fact]
    public async Task A_manifest_check_reads_the_digest_a_tag_points_at()
    {
        var digest = Digest.Sha256("manifest"u8);
        var handler = new FakeRegistryHandler(request => request.Uri.AbsolutePath.EndsWith("/there", StringComparison.Ordinal)
            ? FakeRegistryHandler.Answer(HttpStatusCode.OK, headers: ("Docker-Content-Digest", digest.ToString()))
            : FakeRegistryHandler.Answer(HttpStatusCode.NotFound));
        using var client = Client(handler);

        Assert.Equal(digest, await client.GetManifestDigestAsync("app", "there"));
        Assert.Null(await client.GetManifestDigestAsync("app", "missing"));
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Head, r.Method));
    }

    [Fact]
    public async Task A_download_that_breaks_off_halfway_starts_again_and_keeps_only_the_verified_file()
    {
        var attempts = 0;
        var handler = new FakeRegistryHandler(_ => ++attempts == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream(Blob[..4])) }
            : FakeRegistryHandler.Bytes(Blob));
        using var client = Client(handler);
        var folder = Directory.CreateTempSubdirectory("containers-download-").FullName;
        try
        {
            await client.DownloadBlobAsync("app", BlobDescriptor, Path.Combine(folder, "blob"));

            Assert.Equal(2, attempts);
            Assert.Equal(Blob, File.ReadAllBytes(Path.Combine(folder, "blob")));
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Gives some bytes, then fails as a reset connection does.</summary>
    private sealed class BreakingStream(byte[] start) : MemoryStream(start, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position < Length ? base.Read(buffer, offset, count) : throw new IOException("Connection reset by peer");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("Connection reset by peer");
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }

    /// <summary>Holds every request until the gate opens, so two callers surely overlap.</summary>
    private sealed class GatedHandler(HttpMessageHandler inner, Task gate) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await gate;
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
