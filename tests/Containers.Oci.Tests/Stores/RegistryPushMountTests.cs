using Containers.Oci.Images;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// An app built on a base read from another repository: its base layers name that repository as their mount source,
/// so a push to the same registry mounts them instead of downloading and uploading them.
/// </summary>
public sealed class RegistryPushMountTests : IDisposable
{
    private readonly StoreBench _bench = new();

    public void Dispose() => _bench.Dispose();

    /// <summary>A two-layer base pushed to <c>base:1.0</c>, read back from there, with one app layer on top.</summary>
    private async Task<(IImage Base, IImage App, ILayer AppLayer)> AppOnABaseAsync()
    {
        await _bench.Push("base").PushAsync(_bench.Images.Image(layers: 2), ["1.0"]);
        var baseImage = (IImage)await _bench.RegistryStore($"{StoreBench.Host}/base:1.0").ReadAsync(CancellationToken.None);
        var appLayer = _bench.Images.Layer(("app/app.dll", "the app"));
        var app = ImageBuilder.Build(baseImage, [(appLayer, "the app")], new ImageSettings { Entrypoint = ["/app/app"] });
        _bench.Registry.ClearRequests();
        return (baseImage, app, appLayer);
    }

    private IEnumerable<Testing.Registry.ReceivedRequest> BlobReadsFromBase()
        => _bench.Registry.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith("/v2/base/blobs/", StringComparison.Ordinal));

    [Fact]
    public async Task A_base_layer_from_another_repository_of_the_same_registry_is_mounted_not_uploaded()
    {
        var (baseImage, app, appLayer) = await AppOnABaseAsync();
        var uploadedBefore = _bench.Registry.BlobsUploaded;

        var result = await _bench.Push("app").PushAsync(app, ["1.0"]);

        Assert.Equal(2, result.BlobsMounted);
        Assert.Equal(2, _bench.Registry.BlobsMounted);
        Assert.Equal(2, result.BlobsUploaded);                              // the app layer and the config
        Assert.Equal(uploadedBefore + 2, _bench.Registry.BlobsUploaded);
        Assert.Empty(BlobReadsFromBase());                                  // never downloaded
        foreach (var layer in baseImage.Layers)
        {
            var mount = Assert.Single(_bench.Registry.Requests, r => r.Method == "POST" && Uri.UnescapeDataString(r.Query).Contains("mount=" + layer.Descriptor.Digest, StringComparison.Ordinal));
            Assert.Contains("from=base", mount.Query, StringComparison.Ordinal);
            Assert.Equal(201, mount.Status);
            Assert.Equal(_bench.Registry.Blob("base", layer.Descriptor.Digest), _bench.Registry.Blob("app", layer.Descriptor.Digest));
        }
        Assert.Equal(await File.ReadAllBytesAsync(((FileLayer)appLayer).Path), _bench.Registry.Blob("app", appLayer.Descriptor.Digest));
        Assert.Equal(app.Digest.ToString(), _bench.Registry.Tags("app")["1.0"]);
    }

    [Fact]
    public async Task When_the_registry_refuses_mounts_a_base_layer_is_uploaded_from_its_bytes()
    {
        var (baseImage, app, _) = await AppOnABaseAsync();
        _bench.Registry.RefuseMounts = true;

        var result = await _bench.Push("app").PushAsync(app, ["1.0"]);

        Assert.Equal((0, 4), (result.BlobsMounted, result.BlobsUploaded));
        Assert.Equal(0, _bench.Registry.BlobsMounted);
        foreach (var layer in baseImage.Layers)
        {
            Assert.Equal(_bench.Registry.Blob("base", layer.Descriptor.Digest), _bench.Registry.Blob("app", layer.Descriptor.Digest));
        }
        Assert.Equal(2, BlobReadsFromBase().Count());                       // each base layer fetched once, through the cache
        Assert.Equal(app.Digest.ToString(), _bench.Registry.Tags("app")["1.0"]);
    }

    [Fact]
    public async Task A_base_layer_of_another_registry_is_uploaded_without_trying_a_mount()
    {
        var (baseImage, app, _) = await AppOnABaseAsync();

        var result = await _bench.Push("app", StoreBench.OtherHost).PushAsync(app, ["1.0"]);

        Assert.Equal((0, 4), (result.BlobsMounted, result.BlobsUploaded));
        Assert.DoesNotContain(_bench.Registry.Requests, r => r.Query.Contains("mount=", StringComparison.Ordinal));
        Assert.All(_bench.Registry.Requests.Where(r => r.Path.StartsWith("/v2/app/", StringComparison.Ordinal)), r => Assert.Equal(StoreBench.OtherHost, r.Host));
        Assert.All(baseImage.Layers, l => Assert.NotNull(_bench.Registry.Blob("app", l.Descriptor.Digest)));
    }

    [Fact]
    public async Task A_base_layer_the_target_already_holds_is_neither_mounted_nor_uploaded()
    {
        var (_, app, _) = await AppOnABaseAsync();
        await _bench.Push("app").PushAsync(app, ["1.0"]);
        var changed = ImageBuilder.Build(app, [(_bench.Images.Layer(("app/more.txt", "more")), "more")], new ImageSettings());
        _bench.Registry.ClearRequests();

        var result = await _bench.Push("app").PushAsync(changed, ["2.0"]);

        Assert.Equal((0, 2, 3), (result.BlobsMounted, result.BlobsUploaded, result.BlobsSkipped));   // new layer and config; three layers there
        Assert.DoesNotContain(_bench.Registry.Requests, r => r.Query.Contains("mount=", StringComparison.Ordinal));
    }
}
