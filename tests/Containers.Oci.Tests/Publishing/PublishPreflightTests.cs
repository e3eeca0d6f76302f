using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Publishing;

/// <summary>
/// Issue 12, "work done, then failure": whatever can fail after the publish is checked before anything is sent, so a
/// failing publish never leaves a moved tag behind. Runs the whole publisher against an in-memory registry.
/// </summary>
public sealed class PublishPreflightTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly InMemoryRegistry _registry = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AResultFileThatCannotBeWritten_IsCONTAINER5500_AndNothingIsPushed()
    {
        // A file where the result file's folder should be: creating the folder fails, even for root.
        var blocker = _temp.WriteFile("out/blocker", "a file, not a folder");
        var request = Request() with { ResultFile = Path.Combine(blocker, "app.container.json") };
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var error = await Assert.ThrowsAsync<ContainerException>(() => publisher.PublishAsync(request, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.ResultFileNotWritable.Code, error.Code);
        Assert.Contains(blocker, error.Message);
        Assert.Empty(_registry.Tags("app"));
        Assert.DoesNotContain(_registry.Requests, r => r.Method != "GET" && r.Method != "HEAD");
    }

    [Fact]
    public async Task AResultFileThatIsAFolder_IsCONTAINER5500_BeforeThePush()
    {
        var folder = Directory.CreateDirectory(_temp.Combine("out", "app.container.json")).FullName;
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        var error = await Assert.ThrowsAsync<ContainerException>(() => publisher.PublishAsync(Request() with { ResultFile = folder }, CancellationToken.None));

        Assert.Equal("CONTAINER5500", error.Code);
        Assert.Empty(_registry.Tags("app"));
    }

    [Fact]
    public async Task AWritableResultFolder_IsCheckedWithoutLeavingAFile_AndThePublishGoesAhead()
    {
        var resultFile = _temp.Combine("out", "app.container.json");
        using var publisher = new ContainerPublisher(new ListLog(), _registry.ClientOptions());

        await publisher.PublishAsync(Request() with { ResultFile = resultFile }, CancellationToken.None);

        Assert.Equal(["latest"], _registry.Tags("app").Keys);
        Assert.Empty(Directory.GetFiles(_temp.Combine("out")));
    }

    /// <summary>A publish of a one-file app onto a one-layer base held by the in-memory registry.</summary>
    private ContainerPublishRequest Request()
    {
        var baseImage = new SampleImages(_temp.Combine("base")).Image(layers: 1);
        _registry.AddBlob("base", baseImage.RawConfig);
        foreach (var layer in baseImage.Layers) _registry.AddBlob("base", File.ReadAllBytes(((FileLayer)layer).Path));
        _registry.AddManifest("base", baseImage.RawManifest, baseImage.MediaType, "1");
        _temp.WriteFile("publish/App.dll", "app");
        return new ContainerPublishRequest
        {
            BaseImage = ImageReference.Parse("registry.example.com/base:1"),
            Platform = new Platform("amd64", "linux"),
            RuntimeIdentifier = "linux-x64",
            PublishDirectory = _temp.Combine("publish"),
            AppDirectory = "/app/",
            Settings = new ImageSettings { Created = DateTimeOffset.UnixEpoch },
            Destination = ImageDestination.Registry(ImageReference.Parse("registry.example.com/app")),
            Tags = ["latest"],
            WorkDirectory = _temp.Combine("obj"),
            CacheDirectory = _temp.Combine("cache"),
        };
    }
}
