using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Publishing;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Destinations;

public sealed class ImageTargetSelectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnArchive_WinsOverEverything_AsInTheSdk()
    {
        var target = ImageTargetSelection.Choose("localhost:5000", "app", _temp.Combine("app.tar"), null, "Podman", _temp.Path);

        var archive = Assert.IsType<ArchiveLocation>(target.Location);
        Assert.Equal(_temp.Combine("app.tar"), archive.Path);
        Assert.Equal("localhost:5000/app:1.0", target.Name.NameFor("1.0"));
    }

    [Fact]
    public void ALayout_WinsOverARegistry()
        => Assert.IsType<OciLayoutLocation>(ImageTargetSelection.Choose("localhost:5000", "app", null, "layout", null, _temp.Path).Location);

    [Fact]
    public void ARegistry_WinsOverTheLocalEngine()
    {
        var registry = Assert.IsType<RegistryLocation>(ImageTargetSelection.Choose("localhost:5000", "team/app", null, null, "Docker", _temp.Path).Location);
        Assert.Equal("localhost:5000/team/app", registry.Reference.ToString());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("Docker", LocalDaemonKind.Docker)]
    [InlineData("podman", LocalDaemonKind.Podman)]
    public void NothingElse_MeansTheLocalEngine_NamedOrDetected(string? localRegistry, LocalDaemonKind? expected)
    {
        var target = ImageTargetSelection.Choose(null, "app", " ", "", localRegistry, _temp.Path);
        var daemon = Assert.IsType<DaemonStoreLocation>(target.Location);

        Assert.Equal(expected, daemon.Daemon);
        Assert.Equal("app:latest", target.Name.NameFor("latest"));
    }

    [Theory]
    [InlineData("Dockr")]
    [InlineData("1")]
    [InlineData("containerd")]
    public void AnUnknownLocalRegistry_IsCONTAINER2002_EvenWhenARegistryIsSet(string value)
    {
        var error = Assert.Throws<ContainerException>(() => ImageTargetSelection.Choose("localhost:5000", "app", null, null, value, _temp.Path));
        Assert.Equal("CONTAINER2002", error.Code);
    }

    [Fact]
    public void AnArchiveAndALayoutTogether_AreRejected()
        => Assert.Equal(ErrorCatalogue.ConflictingDestinations.Code,
            Assert.Throws<ContainerException>(() => ImageTargetSelection.Choose(null, "app", "a.tar", "layout", null, _temp.Path)).Code);

    [Fact]
    public void AnArchiveFolder_GetsRepositoryDotTarGz_AsInTheSdk()
    {
        var existing = Directory.CreateDirectory(_temp.Combine("images")).FullName;

        Assert.Equal(Path.Combine(existing, "app.tar.gz"), ImageTargetSelection.ResolveArchivePath(existing, "app", _temp.Path));
        Assert.Equal(_temp.Combine("new", "app.tar.gz"), ImageTargetSelection.ResolveArchivePath("new/", "app", _temp.Path));
        Assert.Equal(_temp.Combine("out", "image.tar"), ImageTargetSelection.ResolveArchivePath("out/image.tar", "app", _temp.Path));
    }

    [Theory]
    [InlineData("app.tar.gz", true)]
    [InlineData("app.TGZ", true)]
    [InlineData("app.tar", false)]
    [InlineData("app", false)]
    public void OnlyAGzName_MakesAGzipArchive(string name, bool compressed)
        => Assert.Equal(compressed, ArchiveStore.IsCompressedName(name));
}
