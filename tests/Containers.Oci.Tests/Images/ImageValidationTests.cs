using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Images;

/// <summary>The consistency check finds nothing wrong in what every store writes and reads back, and finds what was broken.</summary>
public sealed class ImageValidationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;

    public ImageValidationTests() => _images = new SampleImages(_temp.Combine("layers"));

    public void Dispose() => _temp.Dispose();

    private static readonly Platform Amd64 = new("amd64", "linux");

    [Fact]
    public async Task A_built_image_and_index_are_valid()
    {
        var image = _images.Image();
        var index = ImageIndexBuilder.Build([_images.Image(architecture: "amd64"), _images.Image(docker: false, architecture: "arm64")]);

        Assert.Empty(await ImageValidation.CheckAsync(image, default));
        Assert.Empty(await ImageValidation.CheckAsync(index, default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task What_each_store_writes_reads_back_valid(bool docker)
    {
        var image = _images.Image(docker);
        var cache = new ContentCache(_temp.Combine("cache"));
        var name = new ImageName(null, "app");
        using var registry = new InMemoryRegistry();
        using var clients = new RegistryClientProvider(registry.ClientOptions());
        var context = new StoreContext(clients, cache, NullBuildLog.Instance);
        var layout = new OciLayoutStore(new OciLayoutLocation(_temp.Combine("layout"), "app:1", null), name);
        var archive = new ArchiveStore(new ArchiveLocation(ArchiveFormat.OciArchive, _temp.Combine("app.tar"), "app:1"), cache, name);
        var dockerArchive = new ArchiveStore(new ArchiveLocation(ArchiveFormat.DockerArchive, _temp.Combine("app.tar"), "app:1"), cache, name);
        var remote = new RegistryStore(ImageReference.Parse("registry.example.com/app:1"), context);

        foreach (var store in new IImageStore[] { layout, archive, remote }) await store.WriteAsync(image, ["1"], default);

        foreach (var store in new IImageStore[] { layout, archive, dockerArchive, remote })
        {
            var read = await store.ReadImageAsync(Amd64, null, default);
            Assert.True((await ImageValidation.CheckAsync(read, default)).Count == 0, $"{store.Name}: {string.Join("; ", await ImageValidation.CheckAsync(read, default))}");
        }
    }

    [Fact]
    public async Task An_index_read_back_from_a_layout_is_valid()
    {
        var index = ImageIndexBuilder.Build([_images.Image(architecture: "amd64"), _images.Image(architecture: "arm64")]);
        var layout = new OciLayoutStore(new OciLayoutLocation(_temp.Combine("layout"), "app:1", null), new ImageName(null, "app"));
        await layout.WriteAsync(index, ["1"], [], default);

        var read = Assert.IsAssignableFrom<IImageIndex>(await layout.ReadAsync(default));

        Assert.Equal(index.Digest, read.Digest);
        Assert.Empty(await ImageValidation.CheckAsync(read, default));
    }

    [Fact]
    public async Task A_tampered_layer_in_a_layout_is_named()
    {
        var image = _images.Image();
        var folder = _temp.Combine("layout");
        await new OciLayoutStore(new OciLayoutLocation(folder, null, null), new ImageName(null, "app")).WriteAsync(image, ["1"], default);
        var blob = Path.Combine(folder, "blobs", "sha256", image.Layers[1].Descriptor.ParsedDigest.Encoded);
        var bytes = File.ReadAllBytes(blob);
        bytes[^5] ^= 0xff;
        File.WriteAllBytes(blob, bytes);

        var read = await new OciLayoutStore(new OciLayoutLocation(folder, null, null)).ReadImageAsync(Amd64, null, default);
        var problems = await ImageValidation.CheckAsync(read, default);

        Assert.Contains(problems, p => p.Contains($"layer 1 ({image.Layers[1].Descriptor.Digest})", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("layer 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_diff_id_and_a_wrong_layer_type_are_named()
    {
        var good = _images.Layer(("a.txt", "a"));
        var wrongDiffId = good with { DiffId = Digest.Sha256([7]).ToString() };
        var wrongType = (FileLayer)_images.Layer(("b.txt", "b"));
        var image = SampleImages.Build([wrongDiffId, wrongType]);
        // A zstd label on gzip bytes: the manifest says one thing, the bytes another.
        var mislabelled = Image.Create(image.Manifest with { Layers = [image.Manifest.Layers[0], image.Manifest.Layers[1] with { MediaType = MediaTypes.OciLayerZstd }] },
            image.RawConfig, image.Config, [image.Layers[0], image.Layers[1].WithDescriptor(image.Layers[1].Descriptor with { MediaType = MediaTypes.OciLayerZstd })]);

        var problems = await ImageValidation.CheckAsync(mislabelled, default);

        Assert.Contains(problems, p => p.StartsWith("layer 0", StringComparison.Ordinal) && p.Contains("not its diff id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("layer 1", StringComparison.Ordinal) && p.Contains("cannot be read as", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_config_that_does_not_match_its_descriptor_is_named()
    {
        var image = _images.Image();
        var forged = Image.Create(image.Manifest with { Config = image.Manifest.Config with { Size = image.Manifest.Config.Size + 1 } }, image.RawConfig, image.Config, image.Layers);

        var problems = await ImageValidation.CheckAsync(forged, default);

        Assert.Contains(problems, p => p.StartsWith("the config is", StringComparison.Ordinal));
    }
}
