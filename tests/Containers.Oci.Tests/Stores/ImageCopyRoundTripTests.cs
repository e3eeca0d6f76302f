using System.Text.Json.Nodes;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Stores;

namespace Containers.Oci.Tests.Stores;

/// <summary>
/// <see cref="ImageCopy"/> between a registry repository, an OCI layout folder and an archive file: what goes around
/// comes back with the same digests, because every store keeps the exact manifest, index and config bytes.
/// </summary>
public sealed class ImageCopyRoundTripTests : IDisposable
{
    private readonly StoreBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private static Task<IReadOnlyList<WriteResult>> CopyAsync(IImageStore from, IImageStore to, Platform? platform = null)
        => ImageCopy.CopyAsync(from, [to], ["1.0"], platform, CancellationToken.None);

    /// <summary>registry → layout → archive → (another repository, and the same registry under another host name).</summary>
    private async Task<ITaggable> AroundAsync(ITaggable seed)
    {
        var source = _bench.RegistryStore($"{StoreBench.Host}/source:1.0");
        _ = seed switch
        {
            IImageIndex index => await source.WriteAsync(index, ["1.0"], [], CancellationToken.None),
            IImage image => await source.WriteAsync(image, ["1.0"], CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(seed)),
        };
        var layout = _bench.PathFor("layout");
        var archive = _bench.PathFor("out", "image.tar");

        await CopyAsync(source, _bench.Layout(layout));
        await CopyAsync(_bench.Layout(layout, "app:1.0"), _bench.Archive(archive));
        await ImageCopy.CopyAsync(_bench.Archive(archive, "app:1.0"),
            [_bench.RegistryStore($"{StoreBench.Host}/copy"), _bench.RegistryStore($"{StoreBench.OtherHost}/mirrored")], ["1.0"], null, CancellationToken.None);

        Assert.Equal(seed.Digest.ToString(), LayoutEntryDigest(layout));
        Assert.Equal(seed.Digest, (await _bench.Archive(archive, "app:1.0").ReadAsync(CancellationToken.None)).Digest);
        Assert.Contains(_bench.Registry.Requests, r => r.Host == StoreBench.OtherHost && r.Path == "/v2/mirrored/manifests/1.0" && r.Method == "PUT");
        Assert.Equal(_bench.Registry.Manifest("source", "1.0")!.Content, _bench.Registry.Manifest("mirrored", "1.0")!.Content);
        return await _bench.RegistryStore($"{StoreBench.Host}/copy:1.0").ReadAsync(CancellationToken.None);
    }

    private static string LayoutEntryDigest(string layout)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray().Single()!["digest"]!.GetValue<string>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_image_copied_from_a_registry_through_a_layout_and_an_archive_to_two_registries_keeps_its_digest(bool docker)
    {
        var image = _bench.Images.Image(docker, layers: 2);

        var back = Assert.IsAssignableFrom<IImage>(await AroundAsync(image));

        Assert.Equal(image.Digest, back.Digest);
        Assert.Equal(image.RawConfig, back.RawConfig);
        Assert.Equal(image.Manifest.Config.Digest, _bench.Registry.Blobs("mirrored").Single(d => d == image.Manifest.Config.Digest));
        foreach (var layer in image.Layers)
        {
            Assert.Equal(await File.ReadAllBytesAsync(((FileLayer)layer).Path), _bench.Registry.Blob("mirrored", layer.Descriptor.Digest));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_two_platform_index_copied_the_same_way_keeps_the_index_digest_and_each_image_digest(bool docker)
    {
        var index = _bench.TwoPlatformIndex(docker);
        Assert.Equal(docker ? MediaTypes.DockerManifestList : MediaTypes.OciIndex, index.MediaType);

        var back = Assert.IsAssignableFrom<IImageIndex>(await AroundAsync(index));

        Assert.Equal(index.Digest, back.Digest);
        Assert.Equal(index.Images.Select(i => i.Digest), back.Images.Select(i => i.Digest));
        foreach (var repository in new[] { "copy", "mirrored" })
        {
            Assert.Equal(index.Digest.ToString(), _bench.Registry.Tags(repository)["1.0"]);
            Assert.All(index.Images, i => Assert.Equal(i.RawManifest, _bench.Registry.Manifest(repository, i.Digest.ToString())!.Content));
            Assert.All(index.Images.SelectMany(i => i.Layers), l => Assert.NotNull(_bench.Registry.Blob(repository, l.Descriptor.Digest)));
        }
    }

    [Fact]
    public async Task A_copy_with_a_platform_takes_only_that_image_of_an_index()
    {
        var index = _bench.TwoPlatformIndex();
        var source = _bench.RegistryStore($"{StoreBench.Host}/source:1.0");
        await source.WriteAsync(index, ["1.0"], [], CancellationToken.None);
        var (amd64, arm64) = (index.Images[0], index.Images[1]);
        var layout = _bench.PathFor("layout");

        await CopyAsync(source, _bench.Layout(layout), new Platform("arm64", "linux"));

        Assert.Equal(arm64.Digest.ToString(), LayoutEntryDigest(layout));
        var blobs = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Select(f => "sha256:" + Path.GetFileName(f)).ToHashSet();
        Assert.Equal(arm64.Layers.Select(l => l.Descriptor.Digest).Append(arm64.Manifest.Config.Digest).Append(arm64.Digest.ToString()).ToHashSet(), blobs);
        Assert.DoesNotContain(amd64.Digest.ToString(), blobs);
        Assert.DoesNotContain(index.Digest.ToString(), blobs);
    }

    [Fact]
    public async Task A_copy_to_two_stores_at_once_writes_both()
    {
        var image = _bench.Images.Image(layers: 2);
        var layout = _bench.PathFor("layout");
        await _bench.Layout(layout).WriteAsync(image, ["1.0"], CancellationToken.None);
        var archive = _bench.PathFor("out", "image.tar.gz");

        var results = await ImageCopy.CopyAsync(_bench.Layout(layout), [_bench.Archive(archive), _bench.RegistryStore($"{StoreBench.Host}/app")], ["1.0", "stable"], null, CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.Equal(archive, results[0].ArchivePath);
        Assert.Equal(["app:1.0", "app:stable"], results[0].Names);
        Assert.Equal(image.Digest, (await _bench.Archive(archive, "app:stable").ReadAsync(CancellationToken.None)).Digest);
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = image.Digest.ToString(), ["stable"] = image.Digest.ToString() }, _bench.Registry.Tags("app"));
    }
}
