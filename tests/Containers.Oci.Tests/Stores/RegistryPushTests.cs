using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// <see cref="Containers.Oci.Stores.RegistryPush"/> of one image against the in-memory registry: what is stored, and
/// which requests it took to get there.
/// </summary>
public sealed class RegistryPushTests : IDisposable
{
    private readonly StoreBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private IReadOnlyList<string> Requests() => _bench.Registry.Requests.Select(r => r.ToString()).ToList();

    [Fact]
    public async Task A_new_image_uploads_each_layer_and_the_config_once_and_puts_the_manifest_under_each_tag()
    {
        var image = _bench.Images.Image(layers: 2);

        var result = await _bench.Push("app").PushAsync(image, ["1.0", "latest"]);

        var registry = _bench.Registry;
        Assert.Equal((3, 0, 0, false), (result.BlobsUploaded, result.BlobsSkipped, result.BlobsMounted, result.AlreadyPresent));
        Assert.Equal(3, registry.BlobsUploaded);
        Assert.Equal(image.Layers.Select(l => l.Descriptor.Digest).Append(image.Manifest.Config.Digest).Order(StringComparer.Ordinal), registry.Blobs("app"));
        foreach (var layer in image.Layers)
        {
            Assert.Equal(await File.ReadAllBytesAsync(((FileLayer)layer).Path), registry.Blob("app", layer.Descriptor.Digest));
        }
        Assert.Equal(image.RawConfig, registry.Blob("app", image.Manifest.Config.Digest));
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = image.Digest.ToString(), ["latest"] = image.Digest.ToString() }, registry.Tags("app"));
        Assert.Equal(image.RawManifest, registry.Manifest("app", "latest")!.Content);
        Assert.Equal(["PUT /v2/app/manifests/1.0", "PUT /v2/app/manifests/latest"], Requests().Where(r => r.StartsWith("PUT /v2/app/manifests/", StringComparison.Ordinal)));
        Assert.Equal(["registry.test/app:1.0", "registry.test/app:latest"], result.PushedReferences.Select(r => r.ToString()));
    }

    [Fact]
    public async Task A_second_push_of_the_same_image_sends_no_blob_and_puts_only_the_missing_tags()
    {
        var image = _bench.Images.Image(layers: 2);
        await _bench.Push("app").PushAsync(image, ["1.0"]);
        _bench.Registry.ClearRequests();

        var result = await _bench.Push("app").PushAsync(image, ["1.0", "2.0"]);

        Assert.True(result.AlreadyPresent);
        Assert.Equal((0, 0L), (result.BlobsUploaded, result.BytesUploaded));
        Assert.Equal(
        [
            $"HEAD /v2/app/manifests/{image.Digest}",   // the repository holds the image: no blob is checked
            "HEAD /v2/app/manifests/1.0",               // already names it: no PUT
            "HEAD /v2/app/manifests/2.0",
            "PUT /v2/app/manifests/2.0",
        ], Requests());
        Assert.Equal(3, _bench.Registry.BlobsUploaded);
        Assert.Equal(image.Digest.ToString(), _bench.Registry.Tags("app")["2.0"]);
    }

    [Fact]
    public async Task A_push_without_tags_puts_the_manifest_by_its_digest_only()
    {
        var image = _bench.Images.Image(layers: 1);

        var result = await _bench.Push("app").PushAsync(image, []);

        Assert.Empty(_bench.Registry.Tags("app"));
        Assert.Equal([image.Digest.ToString()], _bench.Registry.Manifests("app"));
        Assert.Equal($"registry.test/app@{image.Digest}", Assert.Single(result.PushedReferences).ToString());
    }

    [Fact]
    public async Task A_layer_repeated_in_an_image_is_sent_once()
    {
        var repeated = _bench.Images.Layer(("same.txt", "twice"));
        var other = _bench.Images.Layer(("other.txt", "once"));
        var image = SampleImages.Build([repeated, other, repeated]);

        var result = await _bench.Push("app").PushAsync(image, ["1.0"]);

        Assert.Equal(3, result.BlobsUploaded);   // two layers and the config
        Assert.Equal(3, _bench.Registry.BlobsUploaded);
        var uploadsOfRepeated = _bench.Registry.Requests.Count(r => r.Method == "PUT" && Uri.UnescapeDataString(r.Query).Contains(repeated.Descriptor.Digest, StringComparison.Ordinal));
        Assert.Equal(1, uploadsOfRepeated);
        var manifest = OciJson.Deserialize<ImageManifest>(_bench.Registry.Manifest("app", "1.0")!.Content);
        Assert.Equal([repeated.Descriptor.Digest, other.Descriptor.Digest, repeated.Descriptor.Digest], manifest.Layers.Select(l => l.Digest));
    }
}
