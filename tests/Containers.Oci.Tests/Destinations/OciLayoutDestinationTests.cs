using System.Text.Json.Nodes;
using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Destinations;

public sealed class OciLayoutDestinationTests : IDisposable
{
    private static readonly Platform LinuxAmd64 = new("amd64", "linux");
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;

    public OciLayoutDestinationTests() => _images = new SampleImages(_temp.Combine("layers"));

    public void Dispose() => _temp.Dispose();

    private string Layout => _temp.Combine("layout");

    private Task<WriteResult> WriteAsync(IImage image, string repository, params string[] tags)
        => new OciLayoutStore(new OciLayoutLocation(Layout, null, null), new ImageName(null, repository)).WriteAsync(image, tags, CancellationToken.None);

    private JsonArray Index() => JsonNode.Parse(File.ReadAllText(Path.Combine(Layout, "index.json")))!["manifests"]!.AsArray();

    private static string? NameOf(JsonNode? entry) => entry!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>();

    [Fact]
    public async Task WritingTwice_KeepsTheOtherImages_AndMovesATagThatIsWrittenAgain()
    {
        var first = _images.Image();
        var second = _images.Image();
        var third = _images.Image();

        await WriteAsync(first, "one", "1.0");
        await WriteAsync(second, "two", "1.0", "latest");
        var again = await WriteAsync(third, "one", "1.0");

        var index = Index();
        Assert.Equal(["two:1.0", "two:latest", "one:1.0"], index.Select(NameOf));
        Assert.Equal(third.Digest.ToString(), index.Single(e => NameOf(e) == "one:1.0")!["digest"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(Layout, "oci-layout")));
        Assert.Contains("blobs written", again.Details);
        Assert.Empty(Directory.GetFiles(Layout, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WhatWeWrite_ReadsBackAsABaseImage_ByName()
    {
        var image = _images.Image();
        await WriteAsync(_images.Image(), "other", "1.0");
        await WriteAsync(image, "app", "1.0");

        var read = await new OciLayoutStore(new OciLayoutLocation(Layout, "app:1.0", null)).ReadImageAsync(LinuxAmd64, null, CancellationToken.None);

        Assert.Equal(image.Digest, read.Digest);
        Assert.All(read.Layers, l => Assert.Null(l.MountSource));
        await using var layer = await read.Layers[0].OpenAsync(CancellationToken.None);
        Assert.Equal(read.Manifest.Layers[0].ParsedDigest, await Digest.Sha256Async(layer));
    }

    [Fact]
    public async Task ALayoutOfSeveralImages_NeedsTheNameOfOne()
    {
        await WriteAsync(_images.Image(), "one", "1.0");
        await WriteAsync(_images.Image(), "two", "1.0");

        var error = await Assert.ThrowsAsync<ContainerException>(() => new OciLayoutStore(new OciLayoutLocation(Layout, null, null)).ReadImageAsync(LinuxAmd64, null, CancellationToken.None));

        Assert.Equal(ErrorCatalogue.BaseImageNotChosen.Code, error.Code);
        Assert.Contains("'one:1.0', 'two:1.0'", error.Message);
    }

    [Fact]
    public async Task ALayoutMissingALayer_SaysWhichBlob()
    {
        var image = _images.Image();
        await WriteAsync(image, "app", "1.0");
        File.Delete(Path.Combine(Layout, "blobs", "sha256", image.Layers[1].Descriptor.ParsedDigest.Encoded));
        var read = await new OciLayoutStore(new OciLayoutLocation(Layout, null, null)).ReadImageAsync(LinuxAmd64, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ContainerException>(() => read.Layers[1].OpenAsync(CancellationToken.None));

        Assert.Equal(ErrorCatalogue.BlobNotInSource.Code, error.Code);
        Assert.Contains(image.Layers[1].Descriptor.Digest, error.Message);
    }

    [Fact]
    public async Task ADamagedBlob_InTheLayout_IsWrittenAgain()
    {
        var image = _images.Image();
        await WriteAsync(image, "app", "1.0");
        var blob = Path.Combine(Layout, "blobs", "sha256", image.Layers[0].Descriptor.ParsedDigest.Encoded);
        var bytes = File.ReadAllBytes(blob);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(blob, bytes);

        var again = await WriteAsync(image, "app", "1.0");

        Assert.Contains("1 blobs written", again.Details);
        Assert.Equal(image.Layers[0].Descriptor.ParsedDigest, Digest.Sha256(File.ReadAllBytes(blob)));
    }

    [Fact]
    public async Task AFolderOfOtherFiles_IsNotTakenOver()
    {
        Directory.CreateDirectory(Layout);
        File.WriteAllText(Path.Combine(Layout, "notes.txt"), "mine");

        var error = await Assert.ThrowsAsync<ContainerException>(() => new OciLayoutStore(new OciLayoutLocation(Layout, null, null), new ImageName(null, "app")).CheckWritableAsync(CancellationToken.None));

        Assert.Equal(ErrorCatalogue.NotAnOciLayout.Code, error.Code);
    }

    [Fact]
    public async Task TwoWritersAtOnce_BothEndUpInTheIndex()
    {
        var images = Enumerable.Range(0, 4).Select(_ => _images.Image()).ToList();

        await Task.WhenAll(images.Select((image, i) => Task.Run(() => WriteAsync(image, $"app{i}", "1.0"))));

        Assert.Equal(["app0:1.0", "app1:1.0", "app2:1.0", "app3:1.0"], Index().Select(NameOf).Order());
    }
}
