using Containers.Oci.Images;
using System.Diagnostics;
using System.Security.Cryptography;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Faults;

/// <summary>
/// Pushes and pulls through <see cref="FaultProxy"/>: cut uploads, lost answers, 500/503/429 and slow responses. Pushes
/// still complete, what lands in the registry is valid for other tools (skopeo checks every digest; podman runs it),
/// and no tag ever names an image whose blobs are not all there.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class FaultInjectionTests(RegistryFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int ChunkSize = 128 * 1024;
    private readonly TempDirectory _temp = new("containers-it-faults-");
    private readonly CapturingLog _log = new(output);

    public void Dispose() => _temp.Dispose();

    private RegistryClientOptions Options(int maxRetries = 10) => new()
    {
        Environment = new CredentialStores(_temp.Combine("credentials")).Empty(),
        Log = _log,
        ChunkSize = ChunkSize,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(2),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        ResponseTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task A_push_through_failures_completes_and_the_image_is_valid_and_runs()
    {
        var marker = "hello-" + Guid.NewGuid().ToString("N")[..8];
        var image = await RunnableImage.CreateAsync(_temp.Combine("layers"), marker);
        var random = new Random(4242);
        var patches = 0;
        // A fixed script for the first chunks (so every kind of fault surely happens), then random failures on anything.
        await using var proxy = new FaultProxy(fixture.Port, (head, _) =>
        {
            if (head.Method == "PATCH")
            {
                switch (Interlocked.Increment(ref patches))
                {
                    case 2: return new Fault.Status(503, "Service Unavailable");
                    case 4: return new Fault.CutRequest(0.5);
                    case 6: return new Fault.DropResponse();
                    case 8: return new Fault.Status(429, "Too Many Requests", RetryAfterSeconds: 0);
                    case 10: return new Fault.Status(500, "Internal Server Error");
                }
            }
            lock (random)
            {
                return random.NextDouble() switch
                {
                    < 0.08 => new Fault.Status(503, "Service Unavailable"),
                    < 0.12 => new Fault.Status(500, "Internal Server Error"),
                    < 0.15 => new Fault.Status(429, "Too Many Requests", RetryAfterSeconds: 0),
                    < 0.35 => new Fault.Pass(TimeSpan.FromMilliseconds(random.Next(5, 60))),
                    _ => Fault.None,
                };
            }
        });
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("faults"));

        using (var clients = new RegistryClientProvider(Options()))
        {
            var result = await new RegistryPush(clients, target, _log.Add).PushAsync(image, ["1.0", "latest"]);
            Assert.Equal(image.Digest, result.Digest);
        }

        output.WriteLine($"{proxy.Faults} faults in {proxy.Requests.Count} requests");
        Assert.True(proxy.Faults >= 5);
        Assert.True(_log.Contains("going on from there"), "an upload resumed from the registry's Range");
        Assert.True(_log.Contains("starting the upload again"), "an upload whose session broke started again");
        AssertTagsCameAfterEveryBlob(proxy.Requests, target.Repository, blobs: 2);

        // Straight from the registry, not through the proxy: skopeo checks every digest as it copies.
        var direct = new ImageReference(fixture.Registry, target.Repository, "1.0");
        var layout = _temp.Combine("layout");
        await Skopeo.RunAsync("copy", "--src-tls-verify=false", $"docker://{direct}", $"oci:{layout}:copied");
        foreach (var blob in Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")))
        {
            Assert.Equal(Path.GetFileName(blob), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(blob))));
        }
        Assert.True(File.Exists(Path.Combine(layout, "blobs", "sha256", image.Digest.Encoded)), "the same manifest digest");

        await Podman.PullAsync(direct.ToString());
        try
        {
            Assert.Contains(marker, await Podman.RunAsync(direct.ToString()));
        }
        finally
        {
            await Podman.RemoveImageAsync(direct.ToString());
        }

        // And back through the faults with our own client: every blob verified against its digest.
        using var pullClients = new RegistryClientProvider(Options());
        var pulled = await pullClients.Get(proxy.Registry).GetManifestAsync(target.Repository, "latest");
        Assert.Equal(image.RawManifest, pulled.Content);
        var layerFile = _temp.Combine("pulled", "layer");
        await pullClients.Get(proxy.Registry).DownloadBlobAsync(target.Repository, image.Layers[0].Descriptor, layerFile);
        Assert.Equal(File.ReadAllBytes(((FileLayer)image.Layers[0]).Path), File.ReadAllBytes(layerFile));
    }

    [Fact]
    public async Task A_push_that_cannot_finish_fails_with_a_coded_error_and_leaves_no_tag()
    {
        var images = new TestImages(_temp.Combine("layers"));
        var image = TestImages.Image([images.Layer(("a.txt", new string('a', 300_000)))]);
        await using var proxy = new FaultProxy(fixture.Port, (head, _) =>
            head.Method is "PATCH" or "PUT" && head.Path.Contains("/blobs/uploads/", StringComparison.Ordinal) ? new Fault.Status(503, "Service Unavailable") : Fault.None);
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("doomed"));

        using var clients = new RegistryClientProvider(Options(maxRetries: 3));
        var error = await Assert.ThrowsAsync<ContainerException>(() => new RegistryPush(clients, target, _log.Add).PushAsync(image, ["1.0"]));

        _log.Error(error);
        Assert.Equal(ErrorCatalogue.BlobUploadRetriesExhausted.Code, error.Code);
        Assert.Contains($"to '{target.Registry}/{target.Repository}' failed: PUT /v2/{target.Repository}/blobs/uploads/", error.Message);
        Assert.Contains("failed 4 times in a row", error.Message);
        Assert.Contains("503 Service Unavailable (UNAVAILABLE: fault injected by the test proxy)", error.Message);
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal));
        using var direct = new RegistryClient(fixture.Registry);
        var missing = await Assert.ThrowsAsync<ContainerException>(() => direct.GetManifestAsync(target.Repository, "1.0"));
        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, missing.Code);
    }

    [Fact]
    public async Task An_interrupted_chunked_upload_resumes_at_the_registrys_range_instead_of_starting_over()
    {
        var blob = RandomNumberGenerator.GetBytes(8 * ChunkSize + 1000);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(blob).ToString(), Size = blob.Length };
        var patches = 0;
        await using var proxy = new FaultProxy(fixture.Port, (head, _) =>
            head.Method == "PATCH" && Interlocked.Increment(ref patches) is 3 or 6 ? new Fault.Status(503, "Service Unavailable") : Fault.None);
        var repository = RegistryFixture.UniqueRepository("resume");

        using (var client = new RegistryClient(proxy.Registry, Options()))
        {
            await client.UploadBlobAsync(repository, descriptor, () => new MemoryStream(blob, writable: false));
        }

        Assert.True(_log.Contains($"the registry holds {2 * ChunkSize} of {blob.Length} bytes"));
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "GET" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        Assert.Equal(blob.Length, proxy.ForwardedBodyBytes);   // nothing sent twice: the refused chunks never reached the registry
        using var direct = new RegistryClient(fixture.Registry);
        Assert.Equal(blob, await direct.GetBlobBytesAsync(repository, descriptor));
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        var answered = 0;
        await using var proxy = new FaultProxy(fixture.Port, (head, _) =>
            head.Path.EndsWith("/manifests/1.0", StringComparison.Ordinal) && Interlocked.Increment(ref answered) == 1
                ? new Fault.Status(429, "Too Many Requests", RetryAfterSeconds: 1) : Fault.None);
        using var client = new RegistryClient(proxy.Registry, Options() with { RetryMaxDelay = TimeSpan.FromSeconds(5) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("it/never-pushed", "1.0"));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);   // the second answer, after waiting
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"waited only {clock.Elapsed}");
        Assert.True(_log.Contains("429 Too Many Requests"));
        Assert.True(_log.Contains("trying again in 1.0 s"));
    }

    [Fact]
    public async Task A_request_that_keeps_failing_ends_in_CONTAINER5100_naming_it_how_often_and_why()
    {
        await using var proxy = new FaultProxy(fixture.Port, (head, _) =>
            head.Path.Contains("/manifests/", StringComparison.Ordinal) ? new Fault.Status(503, "Service Unavailable") : Fault.None);
        using var client = new RegistryClient(proxy.Registry, Options(maxRetries: 2));

        var error = await Assert.ThrowsAsync<ContainerException>(() => client.GetManifestAsync("it/unlucky", "1.0"));

        _log.Error(error);
        Assert.Equal(ErrorCatalogue.RegistryRetriesExhausted.Code, error.Code);
        Assert.Contains("GET /v2/it/unlucky/manifests/1.0", error.Message);
        Assert.Contains($"'{proxy.Registry}'", error.Message);
        Assert.Contains("failed 3 times", error.Message);
        Assert.Contains("503 Service Unavailable (UNAVAILABLE: fault injected by the test proxy)", error.Message);
    }

    [Fact]
    public async Task Connections_dropped_before_the_answer_are_tried_again()
    {
        var layer = new TestImages(_temp.Combine("layers")).Layer(("a.txt", "a"));
        var repository = RegistryFixture.UniqueRepository("dropped");
        using (var direct = new RegistryClient(fixture.Registry))
        {
            await direct.UploadBlobAsync(repository, layer.Descriptor, () => File.OpenRead(layer.Path));
        }
        var gets = 0;
        await using var proxy = new FaultProxy(fixture.Port, (head, _) =>
            head.Method == "GET" && head.Path.Contains("/blobs/sha256:", StringComparison.Ordinal) && Interlocked.Increment(ref gets) <= 2
                ? (gets == 1 ? new Fault.DropResponse() : new Fault.CutRequest(0)) : Fault.None);

        using var client = new RegistryClient(proxy.Registry, Options());
        var bytes = await client.GetBlobBytesAsync(repository, layer.Descriptor);

        Assert.Equal(File.ReadAllBytes(layer.Path), bytes);
        Assert.Equal(3, gets);
    }

    /// <summary>Every manifest PUT the registry accepted came after the last blob upload it accepted, and all blobs were in.</summary>
    private static void AssertTagsCameAfterEveryBlob(IReadOnlyList<ProxiedRequest> requests, string repository, int blobs)
    {
        var completedBlobs = requests.Where(r => r.Method == "PUT" && r.Path.StartsWith($"/v2/{repository}/blobs/uploads/", StringComparison.Ordinal) && r.UpstreamStatus == 201).ToList();
        var tags = requests.Where(r => r.Method == "PUT" && r.Path.StartsWith($"/v2/{repository}/manifests/", StringComparison.Ordinal) && r.UpstreamStatus == 201).ToList();
        Assert.NotEmpty(tags);
        Assert.True(completedBlobs.Select(b => b.Query).Distinct().Count() >= blobs, "every blob was completed");
        Assert.True(tags.Min(t => t.Sequence) > completedBlobs.Max(b => b.Sequence), "no tag before the last blob");
    }
}
