using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Registry;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Faults;

/// <summary>
/// A registry that restarts in the middle of a push, imitated by <see cref="FaultProxy"/>'s <see cref="Fault.Outage"/>:
/// at the second chunk of a base layer's upload every open connection is reset, and new ones are refused until the
/// registry is back. The window is a number of refused connections, or a gate the test opens; never a time. The base
/// is read from the registry itself and the image pushed through the proxy, a registry of another name, so the base
/// layers are uploaded (in 1 MiB chunks) from the content cache rather than mounted.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryRestartTests(RegistryFixture registry, LocalImagesFixture local, ITestOutputHelper output) : IClassFixture<LocalImagesFixture>, IDisposable
{
    private const int ChunkSize = 1024 * 1024;
    private readonly TempDirectory _temp = new("containers-it-restart-");
    private readonly CapturingLog _log = new(output);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_push_across_a_registry_restart_completes_with_a_valid_image()
    {
        await registry.EnsureBaseImagesAsync();
        await using var proxy = new FaultProxy(registry.Port, RestartAtSecondChunk(refusedConnections: 6));
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("restart"));

        var result = await PublishAsync(target, maxRetries: 10);

        Assert.Equal(1, proxy.Outages);
        Assert.Equal(6, proxy.RefusedConnections);
        Assert.True(_log.Contains("going on from there"), "the cut upload resumed from what the registry held");
        var image = await PublishOutcome.AssertCompleteAsync(new ImageReference(registry.Registry, target.Repository, "1.0"), _temp.Combine("read-back"));
        Assert.Equal(result.Image.Digest, image.Digest);
        PublishOutcome.AssertCacheUsable(_temp.Combine("cache"));
    }

    [Fact]
    public async Task A_push_the_restart_outlasts_fails_with_a_coded_error_leaves_no_tag_and_the_next_publish_reuses_the_cache()
    {
        await registry.EnsureBaseImagesAsync();
        await using var proxy = new FaultProxy(registry.Port, RestartAtSecondChunk(refusedConnections: null));
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("restart-fails"));

        var error = await Assert.ThrowsAsync<ContainerException>(() => PublishAsync(target, maxRetries: 2));

        _log.Error(error);
        Assert.Contains(error.Code, new[] { "CONTAINER1017", "CONTAINER5100", "CONTAINER5107", "CONTAINER5110" });
        Assert.Equal(1, proxy.Outages);
        Assert.True(proxy.RefusedConnections > 0);
        var tagged = new ImageReference(registry.Registry, target.Repository, "1.0");
        Assert.False(await PublishOutcome.AssertAbsentOrCompleteAsync(tagged, _temp.Combine("read-back")), "the tag was pushed although blobs were missing");
        // The base layer whose upload was cut had been downloaded whole before its upload began.
        var cached = PublishOutcome.AssertCacheUsable(_temp.Combine("cache"));
        Assert.NotEmpty(cached);

        proxy.ComeBack();
        var lines = _log.Lines.Count;
        var result = await PublishAsync(target, maxRetries: 2);

        var image = await PublishOutcome.AssertCompleteAsync(tagged, _temp.Combine("read-back"));
        Assert.Equal(result.Image.Digest, image.Digest);
        var second = _log.Lines.Skip(lines).ToList();
        foreach (var digest in cached) Assert.Contains(second, l => l.Contains($"{digest[..19]}: reused from the cache (digest verified)", StringComparison.Ordinal));
        Assert.Matches(@"\(\d+ reused, 0 written\)", result.Summary);   // the app's layers, from the layer cache
        Assert.Equal(cached, PublishOutcome.AssertCacheUsable(_temp.Combine("cache")).Intersect(cached));
    }

    /// <summary>Lets everything pass until a chunked upload sends its second chunk; there the registry goes down, once.</summary>
    private static Func<HttpRequestHead, int, Fault> RestartAtSecondChunk(int? refusedConnections)
    {
        var patches = 0;
        return (head, _) => head.Method == "PATCH" && Interlocked.Increment(ref patches) == 2 ? new Fault.Outage(refusedConnections) : Fault.None;
    }

    /// <summary>The shared ConsoleApp, published in process with this test's cache and work folder (the same for every call).</summary>
    private async Task<ContainerPublishResult> PublishAsync(ImageReference target, int maxRetries)
    {
        using var publisher = new ContainerPublisher(_log, new RegistryClientOptions
        {
            Environment = new CredentialStores(_temp.Combine("credentials")).Empty(),
            ChunkSize = ChunkSize,
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(2),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            ResponseTimeout = TimeSpan.FromSeconds(30),
        });
        return await publisher.PublishAsync(new ContainerPublishRequest
        {
            BaseImage = registry.BaseImage("runtime"),
            Platform = PublishOutcome.LinuxAmd64,
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = local.Project.PublishDirectory(),
            AppDirectory = "/app/",
            DepsFile = Path.Combine(local.Project.PublishDirectory(), "ConsoleApp.deps.json"),
            Settings = new ImageSettings { Entrypoint = ["dotnet", "/app/ConsoleApp.dll"], WorkingDirectory = "/app/" },
            Destination = ImageDestination.Registry(target),
            Tags = ["1.0"],
            WorkDirectory = _temp.Combine("obj"),
            CacheDirectory = _temp.Combine("cache"),
        }, CancellationToken.None);
    }
}
