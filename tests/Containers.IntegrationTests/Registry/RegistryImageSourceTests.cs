using Containers.Oci.Diagnostics;
using Containers.Oci.Content;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Stores;
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
        await new RegistryPush(_clients, reference).PushAsync(image, ["1"]);

        var read = await Read(reference, LinuxAmd64, null);

        Assert.Equal(image.Digest, read.Digest);
        Assert.Equal("amd64", read.Config["architecture"]!.GetValue<string>());
        Assert.Equal(image.Layers.Select(l => (l.Descriptor.Digest, l.DiffId)), read.Layers.Select(l => (l.Descriptor.Digest, l.DiffId)));
    }

    [Fact]
    public async Task An_index_resolves_to_the_manifest_for_the_platform()
    {
        var (reference, _, arm64) = await PushIndexAsync();

        var read = await Read(reference, LinuxArm64, "linux-arm64");

        Assert.Equal(arm64.Digest, read.Digest);
        Assert.Equal("arm64", read.Config["architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_index_without_the_platform_is_CONTAINER1011_listing_what_it_has()
    {
        var (reference, _, _) = await PushIndexAsync();

        var error = await Assert.ThrowsAsync<ContainerException>(() => Read(reference, Rid("linux-s390x"), "linux-s390x"));

        Assert.Equal(ErrorCatalogue.BaseImagePlatformNotFound.Code, error.Code);
        Assert.Contains("linux/amd64", error.Message);
        Assert.Contains("linux/arm64/v8", error.Message);
        Assert.Contains("linux-s390x", error.Message);
    }

    [Fact]
    public async Task A_missing_base_image_is_CONTAINER1015()
    {
        var reference = new ImageReference(fixture.Registry, "it/no-such-base", "10.0");

        var error = await Assert.ThrowsAsync<ContainerException>(() => Read(reference, LinuxAmd64, null));

        Assert.Equal(ErrorCatalogue.RepositoryNotFound.Code, error.Code);
    }

    [Theory]
    [InlineData("runtime-deps", 1)]
    [InlineData("runtime", 2)]
    [InlineData("aspnet", 3)]
    public async Task The_dotnet_base_images_read_for_linux_x64(string name, int layers)
    {
        await fixture.EnsureBaseImagesAsync();

        var read = await Read(fixture.BaseImage(name), LinuxAmd64, "linux-x64");

        Assert.Equal(layers, read.Layers.Count);
        Assert.Contains(read.Config["config"]!["Env"]!.AsArray(), e => e!.GetValue<string>().StartsWith("APP_UID=", StringComparison.Ordinal));
    }

    private async Task<(ImageReference Reference, IImage Amd64, IImage Arm64)> PushIndexAsync()
    {
        var repository = RegistryFixture.UniqueRepository("multi");
        var client = _clients.Get(fixture.Registry);
        var images = new TestImages(_temp.Path);
        var amd64 = TestImages.Image([images.Layer(("amd64.txt", "x"))], architecture: "amd64");
        var arm64 = TestImages.Image([images.Layer(("arm64.txt", "y"))], architecture: "arm64");
        await new RegistryPush(_clients, new ImageReference(fixture.Registry, repository)).PushAsync(amd64, []);
        await new RegistryPush(_clients, new ImageReference(fixture.Registry, repository)).PushAsync(arm64, []);
        var index = TestImages.Index((amd64, LinuxAmd64 with { Variant = null }), (arm64, LinuxArm64));
        await client.PutManifestAsync(repository, "1", index, MediaTypes.OciIndex);
        return (new ImageReference(fixture.Registry, repository, "1"), amd64, arm64);
    }

    /// <summary>Reads the image for one platform, as a publish reads its base.</summary>
    private Task<IImage> Read(ImageReference reference, Platform platform, string? runtimeIdentifier)
        => new RegistryStore(reference, new StoreContext(_clients, new ContentCache(_temp.Combine("cache")), NullBuildLog.Instance))
            .ReadImageAsync(platform, runtimeIdentifier, CancellationToken.None);

    private static Platform Rid(string rid) => Platform.TryFromRuntimeIdentifier(rid, out var platform) ? platform : throw new ArgumentException(rid);
}
