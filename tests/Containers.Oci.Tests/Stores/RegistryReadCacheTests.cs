using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// Reading an image from a registry asks it only what can change: the tag. The platform manifest (by digest, from the
/// index) and the config (by digest) come from the content cache once they have been read, and only when intact.
/// </summary>
public sealed class RegistryReadCacheTests : IDisposable
{
    private static readonly Platform Amd64 = new("amd64", "linux");
    private readonly TempDirectory _temp = new();
    private readonly InMemoryRegistry _registry = new();

    public void Dispose()
    {
        _registry.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_second_read_of_an_index_base_asks_only_for_the_tag_and_gives_the_same_image()
    {
        var images = new SampleImages(_temp.Combine("layers"));
        var index = ImageIndexBuilder.Build([images.Image(architecture: "amd64"), images.Image(architecture: "arm64")]);
        using (var clients = new RegistryClientProvider(_registry.ClientOptions()))
        {
            await Store(clients, "seed-cache").WriteAsync(index, ["1"], [], default);
        }
        var amd64 = index.Images.Single(i => i.Platform?.Architecture == "amd64");

        _registry.ClearRequests();
        var first = await ReadAsync();
        Assert.Equal(3, _registry.Requests.Count(r => r.Method == "GET"));   // the tag, the platform manifest, its config

        _registry.ClearRequests();
        var second = await ReadAsync();

        var request = Assert.Single(_registry.Requests);
        Assert.Equal(("GET", "/v2/base/manifests/1"), (request.Method, request.Path));
        Assert.Equal(amd64.Digest, second.Digest);
        Assert.Equal(first.RawConfig, second.RawConfig);
        Assert.Equal(first.RawManifest, second.RawManifest);
    }

    [Fact]
    public async Task A_damaged_cached_config_is_read_from_the_registry_again()
    {
        var image = new SampleImages(_temp.Combine("layers")).Image();
        using (var clients = new RegistryClientProvider(_registry.ClientOptions()))
        {
            await Store(clients, "seed-cache").WriteAsync(image, ["1"], default);
        }
        await ReadAsync();
        var cached = new ContentCache(_temp.Combine("cache")).PathOf(Digest.Parse(image.Manifest.Config.Digest));
        Assert.True(File.Exists(cached));
        await File.WriteAllBytesAsync(cached, new byte[image.RawConfig.Length]);   // same size, other bytes

        _registry.ClearRequests();
        var again = await ReadAsync();

        Assert.Equal(image.RawConfig, again.RawConfig);
        Assert.Contains(_registry.Requests, r => r.Method == "GET" && r.Path.EndsWith(image.Manifest.Config.Digest, StringComparison.Ordinal));
    }

    private async Task<IImage> ReadAsync()
    {
        using var clients = new RegistryClientProvider(_registry.ClientOptions());
        return await Store(clients, "cache").ReadImageAsync(Amd64, null, default);
    }

    private RegistryStore Store(RegistryClientProvider clients, string cache)
        => new(ImageReference.Parse("registry.example.com/base:1"), new StoreContext(clients, new ContentCache(_temp.Combine(cache)), NullBuildLog.Instance));
}
