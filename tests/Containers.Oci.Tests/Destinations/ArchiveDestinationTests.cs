using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Containers.Oci.Content;
using Containers.Oci.Stores;
using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Destinations;

/// <summary>Archives we write, read back by our own sources and checked entry by entry.</summary>
public sealed class ArchiveDestinationTests : IDisposable
{
    private static readonly Platform LinuxAmd64 = new("amd64", "linux");
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;

    public ArchiveDestinationTests() => _images = new SampleImages(_temp.Combine("layers"));

    public void Dispose() => _temp.Dispose();

    private async Task<WriteResult> WriteAsync(IImage image, string fileName, params string[] tags)
    {
        var destination = Store(_temp.Combine("out", fileName));
        await destination.CheckWritableAsync(CancellationToken.None);
        return await destination.WriteAsync(image, tags.Length == 0 ? ["1.0"] : tags, CancellationToken.None);
    }

    private ArchiveStore Store(string path)
        => new(new ArchiveLocation(ArchiveFormat.OciArchive, path, null), new ContentCache(_temp.Combine("cache")), new ImageName(null, "app"));

    private static Dictionary<string, byte[]> Entries(string path)
    {
        using var file = File.OpenRead(path);
        Stream stream = file;
        var magic = new byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        if (magic[0] == 0x1f && magic[1] == 0x8b) stream = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(stream);
        var entries = new Dictionary<string, byte[]>();
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType == TarEntryType.Directory) continue;
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }
        return entries;
    }

    [Fact]
    public async Task AnOciImage_IsAnOciLayout_WithDockersManifestBeside_AndEveryBlobOnce()
    {
        var image = _images.Image();

        var result = await WriteAsync(image, "app.tar", "1.0", "2.0");

        var entries = Entries(result.ArchivePath!);
        Assert.Equal(OciLayout.MarkerContent, System.Text.Encoding.UTF8.GetString(entries["oci-layout"]));
        var index = JsonNode.Parse(entries["index.json"])!["manifests"]!.AsArray();
        Assert.Equal(["app:1.0", "app:2.0"], index.Select(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>()));
        Assert.All(index, m => Assert.Equal(image.Digest.ToString(), m!["digest"]!.GetValue<string>()));
        Assert.All(index, m => Assert.Equal("amd64", m!["platform"]!["architecture"]!.GetValue<string>()));
        var docker = JsonNode.Parse(entries["manifest.json"])!.AsArray().Single()!;
        Assert.Equal(["app:1.0", "app:2.0"], docker["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(image.Layers.Select(l => "blobs/sha256/" + l.Descriptor.ParsedDigest.Encoded), docker["Layers"]!.AsArray().Select(l => l!.GetValue<string>()));
        foreach (var (name, bytes) in entries.Where(e => e.Key.StartsWith("blobs/", StringComparison.Ordinal)))
        {
            Assert.Equal(name["blobs/sha256/".Length..], Digest.Sha256(bytes).Encoded);
        }
        Assert.Equal(2 + image.Layers.Count, entries.Count(e => e.Key.StartsWith("blobs/", StringComparison.Ordinal)));
        Assert.Contains("oci-archive", result.Details);
    }

    [Fact]
    public async Task TheFileIsWhatItsNameSays_GzipOnlyForGz()
    {
        var image = _images.Image();

        var plain = await WriteAsync(image, "app.tar");
        var gzip = await WriteAsync(image, "app.tar.gz");

        var plainHead = File.ReadAllBytes(plain.ArchivePath!)[..512];
        Assert.Equal("ustar", System.Text.Encoding.ASCII.GetString(plainHead, 257, 5));
        var gzipHead = File.ReadAllBytes(gzip.ArchivePath!)[..2];
        Assert.Equal(new byte[] { 0x1f, 0x8b }, gzipHead);
        Assert.Equal(Entries(plain.ArchivePath!).Keys.Order(), Entries(gzip.ArchivePath!).Keys.Order());
        Assert.Empty(Directory.GetFiles(_temp.Combine("out"), "*.tmp"));
    }

    [Fact]
    public async Task AnArchiveThatCannotBeWritten_IsCONTAINER5207_NamingThePath()
    {
        var notAFolder = _temp.WriteFile("file", "x");
        var path = Path.Combine(notAFolder, "app.tar");

        var error = await Assert.ThrowsAsync<ContainerException>(() => Store(path).CheckWritableAsync(CancellationToken.None));

        Assert.Equal(ErrorCatalogue.ImageWriteFailed.Code, error.Code);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task TheSameImage_GivesTheSameBytes()
    {
        var image = _images.Image();

        var first = File.ReadAllBytes((await WriteAsync(image, "a.tar")).ArchivePath!);
        var second = File.ReadAllBytes((await WriteAsync(image, "b.tar")).ArchivePath!);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(false, ArchiveFormat.OciArchive)]
    [InlineData(false, ArchiveFormat.DockerArchive)]
    [InlineData(true, ArchiveFormat.OciArchive)]
    [InlineData(true, ArchiveFormat.DockerArchive)]
    public async Task OurArchives_ReadBackAsBaseImages_EitherWay(bool docker, ArchiveFormat readAs)
    {
        var image = _images.Image(docker);
        var written = await WriteAsync(image, "app.tar.gz");
        var cache = new ContentCache(_temp.Combine("cache"));

        var read = await new ArchiveStore(new ArchiveLocation(readAs, written.ArchivePath!, "app:1.0"), cache).ReadImageAsync(LinuxAmd64, null, CancellationToken.None);

        Assert.Equal(image.Layers.Select(l => l.Descriptor.Digest), read.Manifest.Layers.Select(l => l.Digest));
        Assert.Equal(image.Layers.Select(l => l.DiffId), read.Layers.Select(l => l.DiffId));
        if (readAs == ArchiveFormat.OciArchive) Assert.Equal(image.Digest, read.Digest);
        foreach (var layer in read.Layers)
        {
            await using var blob = await layer.OpenAsync(CancellationToken.None);
            Assert.Equal(layer.Descriptor.ParsedDigest, await Digest.Sha256Async(blob));
        }
        // A docker-archive has no manifest of its own: the one made from it is Docker's, with gzip layers as they are.
        var expectedLayerType = docker || readAs == ArchiveFormat.DockerArchive ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip;
        Assert.All(read.Manifest.Layers, l => Assert.Equal(expectedLayerType, l.MediaType));
    }

    [Fact]
    public async Task BaseLayers_ComeFromTheirOwnBlobSource()
    {
        var cache = new ContentCache(_temp.Combine("cache"));
        var baseLayer = _images.Layer(("base.txt", "base"));
        await cache.AddAsync(baseLayer.Descriptor, File.OpenRead(baseLayer.Path));
        var appLayer = _images.Layer(("app.txt", "app"));
        File.Delete(baseLayer.Path);
        var image = SampleImages.Build([new BlobLayer(baseLayer.Descriptor, baseLayer.DiffId, cache, "the cache"), appLayer]);

        var result = await WriteAsync(image, "app.tar");

        var entries = Entries(result.ArchivePath!);
        Assert.Equal(File.ReadAllBytes(cache.PathOf(baseLayer.Descriptor.ParsedDigest)), entries["blobs/sha256/" + baseLayer.Descriptor.ParsedDigest.Encoded]);
    }
}
