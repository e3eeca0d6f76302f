using Containers.Oci.Content;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

/// <summary>
/// Issue 12, "leftovers": the layer cache under obj/ keeps what this publish and the one before it used, and nothing
/// else (docs/layering.md). Each test publishes the layers of a folder through <see cref="LayerStage"/>, as a publish does.
/// </summary>
public sealed class LayerCachePruningTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Blobs => _temp.Combine("obj", "blobs");
    private string Records => _temp.Combine("obj", "layers");

    [Fact]
    public async Task AfterThreeChanges_OnlyTheLastTwoPublishesLayersAreKept()
    {
        var first = await PublishAsync("version 1");
        var second = await PublishAsync("version 2");
        var third = await PublishAsync("version 3");

        Assert.Equal(new[] { second, third }.Order(), BlobNames().Order());
        Assert.Equal(2, Directory.GetFiles(Records, "*.json").Length);
        Assert.DoesNotContain(first, BlobNames());
    }

    [Fact]
    public async Task GoingBackOneChange_IsStillAnsweredFromTheCache()
    {
        await PublishAsync("version 1");
        await PublishAsync("version 2");

        var (_, reused) = await PublishWithReuseAsync("version 1");

        Assert.Equal(1, reused);
    }

    [Fact]
    public async Task AnUnchangedRepublish_KeepsItsLayer()
    {
        var first = await PublishAsync("same");
        var again = await PublishAsync("same");
        var third = await PublishAsync("same");

        Assert.Equal(first, again);
        Assert.Equal(first, third);
        Assert.Equal([first], BlobNames());
    }

    [Fact]
    public async Task AKilledBuildsTemporaryFiles_AreRemovedOnceStale_AndARunningBuildsAreLeft()
    {
        Directory.CreateDirectory(Blobs);
        Directory.CreateDirectory(Records);
        var staleBlob = Path.Combine(Blobs, $".tmp-{Guid.NewGuid():N}");
        var staleRecord = Path.Combine(Records, $"0123.json.tmp-{Guid.NewGuid():N}");
        var staleMemo = _temp.Combine("obj", $"file-digests.tsv.tmp-{Guid.NewGuid():N}");
        var fresh = Path.Combine(Blobs, $".tmp-{Guid.NewGuid():N}");
        foreach (var path in new[] { staleBlob, staleRecord, staleMemo, fresh }) await File.WriteAllBytesAsync(path, new byte[1024]);
        var old = DateTime.UtcNow - ContentCache.StaleTemporaryAge - TimeSpan.FromMinutes(5);
        foreach (var path in new[] { staleBlob, staleRecord, staleMemo }) File.SetLastWriteTimeUtc(path, old);

        await PublishAsync("app");

        Assert.False(File.Exists(staleBlob));
        Assert.False(File.Exists(staleRecord));
        Assert.False(File.Exists(staleMemo));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task ABlobNoRecordPointsAt_IsRemoved()
    {
        Directory.CreateDirectory(Blobs);
        var orphan = Path.Combine(Blobs, new string('a', 64));
        await File.WriteAllBytesAsync(orphan, [1, 2, 3]);

        var kept = await PublishAsync("app");

        Assert.Equal([kept], BlobNames());
    }

    private IEnumerable<string> BlobNames() => Directory.GetFiles(Blobs).Select(Path.GetFileName).Where(n => !n!.StartsWith('.'))!;

    /// <summary>Publishes the layers of a one-file app whose file holds <paramref name="content"/>; returns the layer's blob name.</summary>
    private async Task<string> PublishAsync(string content) => (await PublishWithReuseAsync(content)).Blob;

    private async Task<(string Blob, int Reused)> PublishWithReuseAsync(string content)
    {
        var publish = Directory.CreateDirectory(_temp.Combine("publish")).FullName;
        await File.WriteAllTextAsync(Path.Combine(publish, "App.dll"), content);
        var request = new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("localhost:5000/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = publish,
            AppDirectory = "/app/",
            Settings = new ImageSettings(),
            Destination = ImageDestination.Registry(ImageReference.Parse("localhost:5000/app")),
            Tags = ["latest"],
            WorkDirectory = _temp.Combine("obj"),
            Layering = LayeringMode.Single,
        };
        var result = await LayerStage.BuildAsync(request, Task.FromException<IImage>(new InvalidOperationException("the base is not needed")), CancellationToken.None);
        var layer = Assert.Single(result.Layers).Layer;
        return (Digest.Parse(layer.Descriptor.Digest).Encoded, result.Reused);
    }
}
