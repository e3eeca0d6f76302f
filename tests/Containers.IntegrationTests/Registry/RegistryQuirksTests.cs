using System.Security.Cryptography;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Registry;

/// <summary>
/// A push and a pull through <see cref="QuirksProxy"/> with one hosted registry's habit switched on each: ECR's minimum
/// part size and 201 to a PATCH, the spec's OCI-Chunk-Min-Length, no chunked uploads, blobs redirected to object storage,
/// Harbor's CSRF cookie, BLOB_UPLOAD_INVALID mid-upload, Retry-After (short and beyond the cap), and a slow upload.
/// Every pull is compared to the byte, and skopeo reads each image straight from the registry.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryQuirksTests(RegistryFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int ChunkSize = 256 * 1024;
    private const int MinChunk = 1024 * 1024;
    private readonly TempDirectory _temp = new("containers-it-quirks-");
    private readonly CapturingLog _log = new(output);

    public void Dispose() => _temp.Dispose();

    private RegistryClientOptions Options(Dictionary<string, string>? environment = null) => new()
    {
        Environment = environment ?? new CredentialStores(_temp.Combine("credentials")).Empty(),
        Log = _log,
        ChunkSize = ChunkSize,
        MaxRetries = 5,
        RetryBaseDelay = TimeSpan.FromMilliseconds(2),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Chunks_are_never_shorter_than_the_OCI_Chunk_Min_Length_the_registry_announces()
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { MinChunkLength = MinChunk, AnnounceMinChunkLength = true });

        var (image, _) = await PushAndPullAsync(proxy, Options());

        Assert.Empty(proxy.Refused);
        var patches = proxy.Requests.Where(r => r.Method == "PATCH").GroupBy(r => r.Path).ToList();
        Assert.NotEmpty(patches);
        Assert.All(patches, session => Assert.All(session.SkipLast(1), part => Assert.True(part.ContentLength >= MinChunk, $"a part of {part.ContentLength} bytes")));
        Assert.Contains(patches, session => session.Count() > 1);   // still chunked, in parts the registry takes
        Assert.True(image.Layers[0].Descriptor.Size > 2 * MinChunk);
    }

    [Fact]
    public async Task Parts_refused_as_too_small_as_ECR_does_are_sent_again_in_larger_parts()
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { MinChunkLength = MinChunk });

        await PushAndPullAsync(proxy, Options());

        Assert.Contains(proxy.Refused, r => r.Quirk == "part-too-small");
        Assert.True(_log.Contains("too small"), "the restart with larger parts is logged");
    }

    [Fact]
    public async Task ECRs_201_Created_to_a_PATCH_counts_as_accepted()
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { PatchAnswersCreated = true });

        await PushAndPullAsync(proxy, Options());

        Assert.Contains(proxy.Requests, r => r.Method == "PATCH" && r.Status == 201);
        Assert.Empty(proxy.Refused);
    }

    [Fact]
    public async Task A_registry_without_chunked_uploads_gets_each_blob_in_one_PUT()
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { NoChunkedUploads = true });

        var (image, _) = await PushAndPullAsync(proxy, Options());

        Assert.Single(proxy.Refused, r => r.Quirk == "no-chunks");   // learnt once per client, not once per blob
        Assert.Contains(proxy.Requests, r => r.Method == "PUT" && r.Status == 201 && r.ContentLength == image.Layers[0].Descriptor.Size);
        Assert.True(_log.Contains("does not take chunked uploads"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Blob_downloads_redirected_to_object_storage_keep_the_signed_query_and_send_no_credentials(bool https)
    {
        await using var storage = new BlobStorageServer(fixture.Port, https);
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { RedirectBlobsTo = storage, BasicAuth = ("quirky", "s3cret-Passw0rd") });
        var environment = new CredentialStores(_temp.Combine("credentials")).Empty();
        environment["DOTNET_CONTAINER_REGISTRY_UNAME"] = "quirky";
        environment["DOTNET_CONTAINER_REGISTRY_PWORD"] = "s3cret-Passw0rd";

        var (image, _) = await PushAndPullAsync(proxy, Options(environment));

        Assert.Contains(proxy.Requests, r => r.Quirk == "redirect");
        Assert.Equal(image.Layers.Count + 1, storage.Requests.Count);   // the config and every layer, each read once
        Assert.All(storage.Requests, r =>
        {
            Assert.EndsWith("?" + BlobStorageServer.SignedQuery, r.Target, StringComparison.Ordinal);
            Assert.False(r.HadAuthorization, "the registry's credentials went to the storage host");
        });
        _log.AssertNoSecrets(["s3cret-Passw0rd"]);
    }

    [Fact]
    public async Task Harbors_CSRF_cookie_is_sent_back_with_every_later_request()
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { CsrfCookie = true });

        await PushAndPullAsync(proxy, Options());

        Assert.Empty(proxy.Refused);
        var writes = proxy.Requests.Where(r => r.Method is "POST" or "PATCH" or "PUT").ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Contains(QuirksProxy.CsrfCookieName + "=", w.Cookie ?? ""));
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    public async Task BLOB_UPLOAD_INVALID_mid_upload_starts_that_upload_again_in_a_new_session(string method)
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { UploadInvalidOnce = method });

        await PushAndPullAsync(proxy, Options());

        var refused = Assert.Single(proxy.Refused);
        Assert.Equal("upload-invalid", refused.Quirk);
        Assert.True(_log.Contains("starting the upload again"));
        var after = proxy.Requests.Where(r => r.Sequence > refused.Sequence && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)).ToList();
        Assert.Contains(after, r => r.Method == "POST" && r.Status == 202);                           // a new session
        Assert.Contains(after, r => r.Method == "DELETE" && r.Path == refused.Path);                  // the old one cancelled
        Assert.DoesNotContain(after, r => r.Path == refused.Path && r.Method is "PATCH" or "PUT");   // and sent nothing more
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_Retry_After_on_an_upload_and_a_read_is_waited_for(int status)
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { RetryAfterOnce = (status, 1) });

        await PushAndPullAsync(proxy, Options() with { RetryMaxDelay = TimeSpan.FromSeconds(5) });

        Assert.Equal(2, proxy.Refused.Count(r => r.Quirk == "retry-after"));   // an upload step and a manifest GET
        Assert.Equal(2, _log.Lines.Count(l => l.Contains($"{status} ", StringComparison.Ordinal) && l.Contains("trying again in 1.0 s", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_clients_cap_is_waited_for_only_up_to_the_cap()
    {
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { RetryAfterOnce = (429, 3600) });

        await PushAndPullAsync(proxy, Options() with { RetryMaxDelay = TimeSpan.FromSeconds(1) });

        Assert.Equal(2, proxy.Refused.Count);
        Assert.Equal(2, _log.Lines.Count(l => l.Contains("trying again in 1.0 s", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_slow_but_progressing_upload_is_not_cut_by_the_response_timeout()
    {
        const long rate = 512 * 1024;
        await using var proxy = new QuirksProxy(fixture.Port, new Quirks { UploadBytesPerSecond = rate });
        // The client's defaults, but a response timeout far below the time the layer's one PUT takes at this rate.
        var options = Options() with { ChunkSize = null, ResponseTimeout = TimeSpan.FromSeconds(1) };

        var (image, pushTime) = await PushAndPullAsync(proxy, options);

        Assert.True(image.Layers[0].Descriptor.Size / (double)rate > 3 * options.ResponseTimeout!.Value.TotalSeconds, "the throttle outlasts the timeout");
        Assert.Contains(proxy.Requests, r => r.Method == "PUT" && r.Status == 201 && r.ContentLength == image.Layers[0].Descriptor.Size);
        output.WriteLine($"pushed in {pushTime.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Pushes a two-layer image (one layer of a few MB, so it goes in several chunks) through the proxy, pulls it back
    /// through the proxy (manifest, config and layers compared to the byte), and has skopeo copy it straight from the
    /// registry, checking every digest.
    /// </summary>
    private async Task<(IImage Image, TimeSpan PushTime)> PushAndPullAsync(QuirksProxy proxy, RegistryClientOptions options)
    {
        var images = new TestImages(_temp.Combine("layers"));
        var big = images.Layer(("big.txt", Convert.ToBase64String(RandomNumberGenerator.GetBytes(2_000_000))));
        var small = images.Layer(("small.txt", "small"));
        var image = TestImages.Image([big, small]);
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("quirks"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var clients = new RegistryClientProvider(options))
        {
            var result = await new RegistryPush(clients, target, _log.Add).PushAsync(image, ["1.0"]);
            Assert.Equal(image.Digest, result.Digest);
        }
        var pushTime = clock.Elapsed;

        using (var clients = new RegistryClientProvider(options))
        {
            var client = clients.Get(proxy.Registry);
            var manifest = await client.GetManifestAsync(target.Repository, "1.0");
            Assert.Equal(image.RawManifest, manifest.Content);
            Assert.Equal(image.RawConfig, await client.GetBlobBytesAsync(target.Repository, image.Manifest.Config));
            foreach (var layer in image.Layers.Cast<FileLayer>())
            {
                var file = _temp.Combine("pulled", layer.Descriptor.Digest.Replace(':', '-'));
                await client.DownloadBlobAsync(target.Repository, layer.Descriptor, file);
                Assert.Equal(File.ReadAllBytes(layer.Path), File.ReadAllBytes(file));
            }
        }

        var layout = _temp.Combine("layout-" + Guid.NewGuid().ToString("N")[..8]);
        await Skopeo.RunAsync("copy", "--src-tls-verify=false", $"docker://{fixture.Registry}/{target.Repository}:1.0", $"oci:{layout}:copied");
        var blobs = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256"));
        Assert.All(blobs, blob => Assert.Equal(Path.GetFileName(blob), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(blob)))));
        Assert.Contains(blobs, blob => Path.GetFileName(blob) == image.Digest.Encoded);
        return (image, pushTime);
    }
}
