using System.Text.Json;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Stores;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Registry;

/// <summary>Pushing built images: what travels, what is skipped or mounted, and that other tools see the result.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryDestinationTests(RegistryFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RegistryClientProvider _clients = new();

    public void Dispose()
    {
        _clients.Dispose();
        _temp.Dispose();
    }

    private TestImages Images => new(_temp.Path);

    private Task<RegistryPushResult> PushAsync(Containers.Oci.Images.IImage image, ImageReference target, params string[] tags)
        => new RegistryPush(_clients, target, output.WriteLine).PushAsync(image, tags);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pushed_image_reads_back_with_our_client_and_with_skopeo(bool byAddress)
    {
        var registry = byAddress ? fixture.LoopbackRegistry : fixture.Registry;
        var target = new ImageReference(registry, RegistryFixture.UniqueRepository("push"));
        var image = TestImages.Image([Images.Layer(("app/hello.txt", "hello")), Images.Layer(("app/world.txt", "world"))]);

        var result = await PushAsync(image, target, "1.0", "latest");

        Assert.Equal(image.Digest, result.Digest);
        Assert.Equal([target.WithTag("1.0"), target.WithTag("latest")], result.PushedReferences);
        Assert.Equal(3, result.BlobsUploaded);
        Assert.Equal(image.Layers.Sum(l => l.Descriptor.Size) + image.RawConfig.Length, result.BytesUploaded);

        var manifest = await _clients.Get(registry).GetManifestAsync(target.Repository, "latest");
        Assert.Equal(image.RawManifest, manifest.Content);

        var inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{target.WithTag("1.0")}"], null);
        using var json = JsonDocument.Parse(inspect.StandardOutput);
        Assert.Equal(image.Digest.ToString(), json.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.Layers.Select(l => l.Descriptor.Digest), json.RootElement.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("amd64", json.RootElement.GetProperty("Architecture").GetString());
    }

    [Fact]
    public async Task Pushing_the_same_image_again_uploads_nothing()
    {
        var target = new ImageReference(fixture.Registry, RegistryFixture.UniqueRepository("again"));
        var image = TestImages.Image([Images.Layer(("a.txt", "a"))]);
        await PushAsync(image, target, "1");

        var second = await PushAsync(image, target, "2");

        Assert.Equal(0, second.BlobsUploaded);
        Assert.Equal(0, second.BytesUploaded);
        Assert.True(second.AlreadyPresent);
        Assert.Equal("0 blobs uploaded: the repository already had the image", second.Summary);
        Assert.Equal(image.RawManifest, (await _clients.Get(fixture.Registry).GetManifestAsync(target.Repository, "2")).Content);
    }

    [Fact]
    public async Task An_image_the_repository_already_has_is_tagged_without_checking_or_sending_a_blob()
    {
        await using var proxy = new FaultProxy(fixture.Port, (_, _) => Fault.None);   // only to watch the requests
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("present"));
        var image = TestImages.Image([Images.Layer(("a.txt", "a")), Images.Layer(("b.txt", "b"))]);
        var first = await PushAsync(image, target, "1");
        var before = proxy.Requests.Count;

        var again = await PushAsync(image, target, "1", "2");

        var requests = proxy.Requests.Skip(before).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.False(first.AlreadyPresent);
        Assert.True(again.AlreadyPresent);
        Assert.DoesNotContain(requests, r => r.Contains("/blobs/", StringComparison.Ordinal));
        Assert.Equal([$"PUT /v2/{target.Repository}/manifests/2"], requests.Where(r => r.StartsWith("PUT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_tag_that_already_names_the_manifest_is_not_put_again()
    {
        await using var proxy = new FaultProxy(fixture.Port, (_, _) => Fault.None);   // only to watch the requests
        var target = new ImageReference(proxy.Registry, RegistryFixture.UniqueRepository("same-tag"));
        var image = TestImages.Image([Images.Layer(("a.txt", "a"))]);
        await PushAsync(image, target, "1", "2");
        var before = proxy.Requests.Count;

        await PushAsync(image, target, "1", "3");

        var manifestPuts = proxy.Requests.Skip(before).Where(r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"/v2/{target.Repository}/manifests/3"], manifestPuts.Select(r => r.Path));
        Assert.Equal(image.RawManifest, (await _clients.Get(fixture.Registry).GetManifestAsync(target.Repository, "3")).Content);
    }

    [Fact]
    public async Task Base_layers_in_the_same_registry_are_mounted_not_uploaded()
    {
        var baseImage = await PushBaseAsync(fixture.Registry);
        var target = new ImageReference(fixture.Registry, RegistryFixture.UniqueRepository("app"));
        var image = TestImages.Image([BaseLayer(baseImage), Images.Layer(("app.txt", "app"))]);

        var result = await PushAsync(image, target, "1");

        Assert.Equal(1, result.BlobsMounted);
        Assert.Equal(2, result.BlobsUploaded);   // the app layer and the config
        Assert.Equal(image.RawManifest, (await _clients.Get(fixture.Registry).GetManifestAsync(target.Repository, "1")).Content);
    }

    [Fact]
    public async Task Base_layers_from_another_registry_are_copied_across()
    {
        // localhost:PORT and 127.0.0.1:PORT are one server, but different registries by name: no mount is tried.
        var baseImage = await PushBaseAsync(fixture.Registry);
        var target = new ImageReference(fixture.LoopbackRegistry, RegistryFixture.UniqueRepository("copied"));
        var baseLayer = BaseLayer(baseImage);
        var image = TestImages.Image([baseLayer, Images.Layer(("app.txt", "app"))]);

        var result = await PushAsync(image, target, "1");

        Assert.Equal(0, result.BlobsMounted);
        Assert.Equal(3, result.BlobsUploaded);
        Assert.True(await _clients.Get(fixture.LoopbackRegistry).BlobExistsAsync(target.Repository, baseLayer.Descriptor.ParsedDigest));
    }

    [Fact]
    public async Task Without_tags_the_manifest_is_pushed_by_digest()
    {
        var target = new ImageReference(fixture.Registry, RegistryFixture.UniqueRepository("untagged"));
        var image = TestImages.Image([Images.Layer(("a.txt", "a"))]);

        var result = await PushAsync(image, target);

        Assert.Equal(image.Digest.ToString(), Assert.Single(result.PushedReferences).Digest);
        Assert.Equal(image.RawManifest, (await _clients.Get(fixture.Registry).GetManifestAsync(target.Repository, image.Digest.ToString())).Content);
    }

    private async Task<(ImageReference Reference, Containers.Oci.Images.IImage Image)> PushBaseAsync(string registry)
    {
        var reference = new ImageReference(registry, RegistryFixture.UniqueRepository("base"), "1");
        var image = TestImages.Image([Images.Layer(("etc/os-release", "ID=test"))]);
        await PushAsync(image, reference, "1");
        return (reference, image);
    }

    /// <summary>The base's layer as an image built on it sees it: no local file, only in the base's repository.</summary>
    private Containers.Oci.Images.ILayer BaseLayer((ImageReference Reference, Containers.Oci.Images.IImage Image) baseImage)
    {
        var (reference, image) = baseImage;
        var repository = new ImageReference(reference.Registry, reference.Repository);
        return new Containers.Oci.Images.BlobLayer(image.Layers[0].Descriptor, image.Layers[0].DiffId,
            new RegistryBlobs(_clients.Get(reference.Registry), reference.Repository), repository.ToString(), MountSource: repository);
    }
}
