using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Destinations;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.IntegrationTests.Registry;

/// <summary>Reading base images: single manifests, indexes resolved to a platform, and the stand-in .NET images.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RegistryImageSourceTests(RegistryFixture fixture) : IDisposable
{
    private static readonly Platform LinuxAmd64 = Rid("linux-x64");
    private static readonly Platform LinuxArm64 = Rid("linux-arm64");

    private readonly TempDirectory _temp = new();
    private readonly RegistryClientProvider _clients = new();

    public void Dispose()
    {
        _clients.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_single_platform_image_reads_with_its_config_and_layers()
    {
        var reference = new ImageReference(fixture.LoopbackRegistry, RegistryFixture.UniqueRepository("single"), "1");
        var image = TestImages.Image([new TestImages(_temp.Path).Layer(("a.txt", "a"))]);
        await new RegistryDestination(_clients).PushAsync(image, reference, ["1"]);

        var read = await new RegistryImageSource(_clients).ReadAsync(reference, LinuxAmd64);

        Assert.Equal(image.ManifestDigest, read.ManifestDigest);
        Assert.Equal("amd64", read.Config["architecture"]!.GetValue<string>());
        Assert.Equal(image.Layers.Select(l => (l.Descriptor.Digest, l.DiffId)), read.Layers().Select(l => (l.Descriptor.Digest, l.DiffId)));
    }

    [Fact]
    public async Task An_index_resolves_to_the_manifest_for_the_platform()
    {
        var (reference, _, arm64) = await PushIndexAsync();

        var read = await new RegistryImageSource(_clients).ReadAsync(reference, LinuxArm64, "linux-arm64");

        Assert.Equal(arm64.ManifestDigest, read.ManifestDigest);
        Assert.Equal("arm64", read.Config["architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_index_without_the_platform_is_CONTAINER1011_listing_what_it_has()
    {
        var (reference, _, _) = await PushIndexAsync();

        var error = await Assert.ThrowsAsync<ContainerException>(() => new RegistryImageSource(_clients).ReadAsync(reference, Rid("linux-s390x"), "linux-s390x"));

        Assert.Equal(ErrorCatalogue.BaseImagePlatformNotFound.Code, error.Code);
        Assert.Contains("linux/amd64", error.Message);
        Assert.Contains("linux/arm64/v8", error.Message);
        Assert.Contains("linux-s390x", error.Message);
    }

    [Fact]
    public async Task A_missing_base_image_is_CONTAINER1015()
    {
        var reference = new ImageReference(fixture.Registry, "it/no-such-base", "10.0");

        var error = await Assert.ThrowsAsync<ContainerException>(() => new RegistryImageSource(_clients).ReadAsync(reference, LinuxAmd64));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
    }

    [Theory]
    [InlineData("runtime-deps", 1)]
    [InlineData("runtime", 2)]
    [InlineData("aspnet", 3)]
    public async Task The_dotnet_base_images_read_for_linux_x64(string name, int layers)
    {
        await fixture.EnsureBaseImagesAsync();

        var read = await new RegistryImageSource(_clients).ReadAsync(fixture.BaseImage(name), LinuxAmd64, "linux-x64");

        Assert.Equal(layers, read.Layers().Count);
        Assert.Contains(read.Config["config"]!["Env"]!.AsArray(), e => e!.GetValue<string>().StartsWith("APP_UID=", StringComparison.Ordinal));
    }

    private async Task<(ImageReference Reference, BuiltImage Amd64, BuiltImage Arm64)> PushIndexAsync()
    {
        var repository = RegistryFixture.UniqueRepository("multi");
        var client = _clients.Get(fixture.Registry);
        var destination = new RegistryDestination(_clients);
        var images = new TestImages(_temp.Path);
        var amd64 = TestImages.Image([images.Layer(("amd64.txt", "x"))], architecture: "amd64");
        var arm64 = TestImages.Image([images.Layer(("arm64.txt", "y"))], architecture: "arm64");
        await destination.PushAsync(amd64, new ImageReference(fixture.Registry, repository), []);
        await destination.PushAsync(arm64, new ImageReference(fixture.Registry, repository), []);
        var index = TestImages.Index((amd64, LinuxAmd64 with { Variant = null }), (arm64, LinuxArm64));
        await client.PutManifestAsync(repository, "1", index, MediaTypes.OciIndex);
        return (new ImageReference(fixture.Registry, repository, "1"), amd64, arm64);
    }

    private static Platform Rid(string rid) => Platform.TryFromRuntimeIdentifier(rid, out var platform) ? platform : throw new ArgumentException(rid);
}
