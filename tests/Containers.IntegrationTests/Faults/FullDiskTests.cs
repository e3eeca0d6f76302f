using System.Security.Cryptography;
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
/// A disk that fills up under the content cache, and under the layer cache (the project's work folder): a small
/// tmpfs, smaller than what the publish must write there. The publish ends in a coded error naming the folder, pushes
/// nothing under its tag, leaves no temporary file, and once the disk has room (the same tmpfs made bigger, its
/// contents kept) the next publish with the same folders succeeds.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class FullDiskTests(RegistryFixture registry, LocalImagesFixture local, ITestOutputHelper output) : IClassFixture<LocalImagesFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("containers-it-disk-");
    private readonly CapturingLog _log = new(output);

    public void Dispose() => _temp.Dispose();

    [TmpfsFact]
    public async Task A_full_content_cache_disk_is_CONTAINER5210_with_no_tag_and_the_next_publish_with_room_succeeds()
    {
        await registry.EnsureBaseImagesAsync();
        // The base's layers (about 38 MB) must go through the cache: the image goes to the registry under another name.
        using var disk = await Tmpfs.MountAsync("2m");
        var tagged = new ImageReference(registry.LoopbackRegistry, RegistryFixture.UniqueRepository("full-cache"), "1.0");

        var error = await Assert.ThrowsAsync<ContainerException>(() => PublishAsync(tagged, local.Project.PublishDirectory(), _temp.Combine("obj"), disk.Path));

        _log.Error(error);
        Assert.Equal(ErrorCatalogue.CacheWriteFailed.Code, error.Code);
        Assert.Contains($"'{disk.Path}'", error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.False(await PublishOutcome.AssertAbsentOrCompleteAsync(tagged, _temp.Combine("read-back")), "a tag was pushed");
        PublishOutcome.AssertCacheUsable(disk.Path);

        await disk.ResizeAsync("128m");
        var result = await PublishAsync(tagged, local.Project.PublishDirectory(), _temp.Combine("obj"), disk.Path);

        var image = await PublishOutcome.AssertCompleteAsync(tagged, _temp.Combine("read-back"));
        Assert.Equal(result.Image.Digest, image.Digest);
        Assert.NotEmpty(PublishOutcome.AssertCacheUsable(disk.Path));
    }

    [TmpfsFact]
    public async Task A_full_layer_cache_disk_is_CONTAINER5520_with_no_tag_and_the_next_publish_with_room_succeeds()
    {
        await registry.EnsureBaseImagesAsync();
        // An app with 3 MB that does not compress, in a work folder on a 1 MB disk; the base layers are mounted.
        var app = _temp.Combine("publish");
        ConcurrentPublishTests.CopyDirectory(local.Project.PublishDirectory(), app);
        File.WriteAllBytes(Path.Combine(app, "data.bin"), RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        using var disk = await Tmpfs.MountAsync("1m");
        var tagged = new ImageReference(registry.Registry, RegistryFixture.UniqueRepository("full-layers"), "1.0");

        var error = await Assert.ThrowsAsync<ContainerException>(() => PublishAsync(tagged, app, disk.Path, _temp.Combine("cache")));

        _log.Error(error);
        Assert.Equal(ErrorCatalogue.LayerCacheWriteFailed.Code, error.Code);
        Assert.Contains($"The layer cache at '{Path.Combine(disk.Path, "blobs")}' could not be written", error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.False(await PublishOutcome.AssertAbsentOrCompleteAsync(tagged, _temp.Combine("read-back")), "a tag was pushed");
        PublishOutcome.AssertNoTemporaryLayerFiles(disk.Path);

        await disk.ResizeAsync("64m");
        var result = await PublishAsync(tagged, app, disk.Path, _temp.Combine("cache"));

        var image = await PublishOutcome.AssertCompleteAsync(tagged, _temp.Combine("read-back"));
        Assert.Equal(result.Image.Digest, image.Digest);
        PublishOutcome.AssertNoTemporaryLayerFiles(disk.Path);
    }

    private async Task<ContainerPublishResult> PublishAsync(ImageReference tagged, string publishDirectory, string workDirectory, string cacheDirectory)
    {
        using var publisher = new ContainerPublisher(_log, new RegistryClientOptions { Environment = new CredentialStores(_temp.Combine("credentials")).Empty() });
        return await publisher.PublishAsync(new ContainerPublishRequest
        {
            BaseImage = registry.BaseImage("runtime"),
            Platform = PublishOutcome.LinuxAmd64,
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = publishDirectory,
            AppDirectory = "/app/",
            DepsFile = Path.Combine(publishDirectory, "ConsoleApp.deps.json"),
            Settings = new ImageSettings { Entrypoint = ["dotnet", "/app/ConsoleApp.dll"], WorkingDirectory = "/app/" },
            Destination = ImageDestination.Registry(new ImageReference(tagged.Registry, tagged.Repository)),
            Tags = [tagged.Tag!],
            WorkDirectory = workDirectory,
            CacheDirectory = cacheDirectory,
        }, CancellationToken.None);
    }
}
