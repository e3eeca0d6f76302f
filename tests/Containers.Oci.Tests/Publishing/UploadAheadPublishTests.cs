using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.SupplyChain;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Publishing;

/// <summary>
/// The whole publisher with the upload ahead, against the in-memory registry: an app layer over 1 MiB goes while it
/// is written and is counted once; with the switch off the same image is pushed the old way; a publish that fails
/// (the base image lock) leaves no tag and no open upload session.
/// </summary>
public sealed class UploadAheadPublishTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly InMemoryRegistry _registry = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_big_new_layer_is_uploaded_while_written_and_the_image_is_the_one_the_switch_off_gives()
    {
        var log = new ListLog();
        using var publisher = new ContainerPublisher(log, _registry.ClientOptions());
        var on = await publisher.PublishAsync(Request("app", "obj-on"), CancellationToken.None);
        var offLog = new ListLog();
        using var plain = new ContainerPublisher(offLog, _registry.ClientOptions(new RegistryClientOptions { UploadAhead = false, MaxRetries = 0, Environment = new Dictionary<string, string>() }));
        var off = await plain.PublishAsync(Request("app-off", "obj-off"), CancellationToken.None);

        Assert.Equal(off.Image.Digest, on.Image.Digest);
        Assert.Single(log.Details, l => l.Contains(": uploaded while written (", StringComparison.Ordinal));
        Assert.DoesNotContain(offLog.Details, l => l.Contains("while written", StringComparison.Ordinal));
        Assert.Contains("2 blobs uploaded", on.Summary, StringComparison.Ordinal);
        Assert.Contains("2 blobs uploaded", off.Summary, StringComparison.Ordinal);
        Assert.Equal(_registry.Blobs("app-off"), _registry.Blobs("app"));   // the same blobs, no more
        Assert.Equal(0, _registry.OpenUploads);
        Assert.Equal(on.Image.Digest.ToString(), _registry.Tags("app")["latest"]);
    }

    [Fact]
    public async Task A_publish_the_base_image_lock_stops_leaves_no_tag_and_no_open_upload()
    {
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());
        var request = Request("app", "obj") with { BaseImageLock = new BaseImageLockOptions(_temp.Combine("absent.lock.json"), Locked: true) };

        var error = await Assert.ThrowsAsync<ContainerException>(() => publisher.PublishAsync(request, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.BaseImageNotLocked.Code, error.Code);
        Assert.Empty(_registry.Tags("app"));
        Assert.Equal(0, _registry.OpenUploads);
    }

    /// <summary>A publish of an app with a 3 MiB file that does not compress onto a one-layer base the registry holds.</summary>
    private ContainerPublishRequest Request(string repository, string work)
    {
        var publish = _temp.Combine("publish");
        if (!Directory.Exists(publish))
        {
            var baseImage = new SampleImages(_temp.Combine("base")).Image(layers: 1);
            _registry.AddBlob("base", baseImage.RawConfig);
            foreach (var layer in baseImage.Layers) _registry.AddBlob("base", File.ReadAllBytes(((FileLayer)layer).Path));
            _registry.AddManifest("base", baseImage.RawManifest, baseImage.MediaType, "1");
            Directory.CreateDirectory(publish);
            var bytes = new byte[3 << 20];
            new Random(5).NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(publish, "assets.bin"), bytes);
            File.WriteAllText(Path.Combine(publish, "App.dll"), "app");
        }
        return new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("registry.example.com/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = publish,
            AppDirectory = "/app/",
            Settings = new ImageSettings { Created = DateTimeOffset.UnixEpoch },
            Destination = ImageDestination.Registry(ImageReference.Parse($"registry.example.com/{repository}")),
            Tags = ["latest"],
            WorkDirectory = _temp.Combine(work),
            CacheDirectory = _temp.Combine("cache-" + work),
        };
    }
}
