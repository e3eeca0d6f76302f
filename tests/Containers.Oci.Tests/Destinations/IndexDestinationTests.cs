using Containers.Oci.Content;
using System.Formats.Tar;
using System.Text.Json.Nodes;
using Containers.Oci.Stores;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Destinations;

/// <summary>An image index written to a layout folder and to an archive: the whole index, named under each tag.</summary>
public sealed class IndexDestinationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;

    public IndexDestinationTests() => _images = new SampleImages(_temp.Combine("layers"));

    public void Dispose() => _temp.Dispose();

    private PlatformIndex TwoPlatforms() => ImageIndexBuilder.Build([_images.Image(architecture: "amd64"), _images.Image(architecture: "arm64")]);

    [Fact]
    public async Task OciLayout_NamesTheIndexUnderEachTag_AndHoldsEveryImagesBlobs()
    {
        var index = TwoPlatforms();
        var layout = _temp.Combine("layout");

        await new OciLayoutStore(new OciLayoutLocation(layout, null, null), new ImageName(null, "app")).WriteAsync(index, ["1.0", "latest"], [], CancellationToken.None);

        var entries = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray();
        Assert.Equal(["app:1.0", "app:latest"], entries.Select(e => e!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>()));
        Assert.All(entries, e =>
        {
            Assert.Equal(MediaTypes.OciIndex, e!["mediaType"]!.GetValue<string>());
            Assert.Equal(index.Digest.ToString(), e["digest"]!.GetValue<string>());
        });
        Assert.Equal(index.RawManifest, File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", index.Digest.Encoded)));
        foreach (var image in index.Images)
        {
            Assert.True(File.Exists(Path.Combine(layout, "blobs", "sha256", image.Digest.Encoded)));
            Assert.True(File.Exists(Path.Combine(layout, "blobs", "sha256", image.Manifest.Config.ParsedDigest.Encoded)));
            Assert.All(image.Layers, l => Assert.True(File.Exists(Path.Combine(layout, "blobs", "sha256", l.Descriptor.ParsedDigest.Encoded))));
        }
    }

    [Fact]
    public async Task Archive_HoldsTheIndex_AndDockersManifestNamesTheHostsImage()
    {
        var index = TwoPlatforms();
        var path = _temp.Combine("out", "app.tar");

        var result = await new ArchiveStore(new ArchiveLocation(ArchiveFormat.OciArchive, path, null), new ContentCache(_temp.Combine("cache")), new ImageName(null, "app")).WriteAsync(index, ["1.0"], [], CancellationToken.None);

        Assert.Equal(path, result.ArchivePath);
        var entries = new Dictionary<string, byte[]>();
        using (var reader = new TarReader(File.OpenRead(path)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries[entry.Name] = data.ToArray();
            }
        }
        var layoutIndex = JsonNode.Parse(entries["index.json"])!["manifests"]!.AsArray().Single()!;
        Assert.Equal(index.Digest.ToString(), layoutIndex["digest"]!.GetValue<string>());
        Assert.Equal(index.RawManifest, entries[$"blobs/sha256/{index.Digest.Encoded}"]);
        Assert.All(index.Images, i => Assert.Contains($"blobs/sha256/{i.Digest.Encoded}", entries.Keys));

        var host = HostPlatform.Pick(index);
        var dockerManifest = JsonNode.Parse(entries["manifest.json"])!.AsArray().Single()!;
        Assert.Equal($"blobs/sha256/{host.Manifest.Config.ParsedDigest.Encoded}", dockerManifest["Config"]!.GetValue<string>());
    }
}
