using Containers.Oci.Publishing;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Publishing;

public class PublishResultFileTests
{
    private static readonly PublishResultDocument Pushed = new()
    {
        Image = "localhost:5000/app:1.0",
        Names = ["localhost:5000/app:1.0", "localhost:5000/app:latest"],
        Registry = "localhost:5000",
        Repository = "app",
        Tags = ["1.0", "latest"],
        Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        MediaType = "application/vnd.oci.image.manifest.v1+json",
        Destination = "registry",
        Pushed = true,
    };

    [Fact]
    public async Task Write_ProducesTheDocumentedShape()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bin", "app.container.json");

        await PublishResultFile.WriteAsync(path, Pushed, CancellationToken.None);

        GoldenFile.AssertMatches("result-file", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Write_ReplacesAnEarlierResult_AndLeavesNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("app.container.json");
        await PublishResultFile.WriteAsync(path, Pushed, CancellationToken.None);

        var archived = Pushed with { Destination = "archive", Pushed = false, Registry = null, ArchivePath = "/out/app.tar.gz" };
        await PublishResultFile.WriteAsync(path, archived, CancellationToken.None);

        var read = PublishResultFile.Read(path)!;
        Assert.False(read.Pushed);
        Assert.Equal("archive", read.Destination);
        Assert.Equal("/out/app.tar.gz", read.ArchivePath);
        Assert.Null(read.Registry);
        Assert.Equal(Pushed.Tags, read.Tags);
        Assert.Equal(["app.container.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Delete_RemovesAStaleResult_AndIgnoresAMissingOne()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("app.container.json");
        await PublishResultFile.WriteAsync(path, Pushed, CancellationToken.None);

        PublishResultFile.Delete(path);
        PublishResultFile.Delete(path);

        Assert.False(File.Exists(path));
        Assert.Null(PublishResultFile.Read(path));
    }
}
