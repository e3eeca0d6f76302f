using System.Text;
using Containers.Oci.Content;
using Containers.Oci.Diagnostics;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;
using Containers.Testing.Registry;

namespace Containers.Oci.Tests.Stores;

/// <summary>Artifacts that refer to an image (an SBOM) are listed as its referrers in every store that keeps them, and travel with a copy.</summary>
public sealed class ReferrersTests : IDisposable
{
    private const string SbomType = "application/vnd.cyclonedx+json";
    private readonly TempDirectory _temp = new();
    private readonly SampleImages _images;
    private readonly InMemoryRegistry _registry = new();
    private readonly RegistryClientProvider _clients;
    private readonly StoreContext _context;

    public ReferrersTests()
    {
        _images = new SampleImages(_temp.Combine("layers"));
        _clients = new RegistryClientProvider(_registry.ClientOptions());
        _context = new StoreContext(_clients, new ContentCache(_temp.Combine("cache")), NullBuildLog.Instance);
    }

    public void Dispose()
    {
        _clients.Dispose();
        _temp.Dispose();
    }

    private RegistryStore Registry(string repository) => new(ImageReference.Parse($"registry.example.com/{repository}:1"), _context);

    private static IImage Sbom(ITaggable subject, string text = """{"bomFormat":"CycloneDX"}""")
        => ArtifactBuilder.Build(subject, SbomType, [(SbomType, Encoding.UTF8.GetBytes(text))], new Dictionary<string, string> { ["org.opencontainers.image.created"] = "1970-01-01T00:00:00Z" });

    [Fact]
    public async Task Without_the_referrers_API_the_fallback_tag_lists_the_artifact()
    {
        var image = _images.Image();
        var store = Registry("app");
        await store.WriteAsync(image, ["1"], default);
        var sbom = Sbom(image);

        await store.WriteAsync(sbom, [], default);
        await store.WriteAsync(sbom, [], default);   // written twice, listed once

        var tag = RegistryReferrers.FallbackTag(image.Digest);
        Assert.Contains(tag, _registry.Tags("app").Keys);
        var listed = Assert.Single(await store.ReferrersAsync(image.Descriptor, default));
        Assert.Equal((sbom.Digest.ToString(), SbomType), (listed.Digest, listed.ArtifactType));
        Assert.Equal("1970-01-01T00:00:00Z", listed.Annotations!["org.opencontainers.image.created"]);
        var read = await store.ReadManifestAsync(listed, default);
        Assert.True(read.IsArtifact);
        Assert.Empty(await ImageValidation.CheckAsync(read, default));
    }

    [Fact]
    public async Task With_the_referrers_API_no_fallback_tag_is_written()
    {
        _registry.ReferrersApi = true;
        var image = _images.Image();
        var store = Registry("app");
        await store.WriteAsync(image, ["1"], default);

        await store.WriteAsync(Sbom(image), [], default);

        Assert.Equal(["1"], _registry.Tags("app").Keys);
        Assert.Equal(SbomType, Assert.Single(await store.ReferrersAsync(image.Descriptor, default)).ArtifactType);
    }

    [Fact]
    public async Task A_layout_lists_the_artifacts_whose_subject_is_the_image()
    {
        var image = _images.Image();
        var other = _images.Image();
        var layout = new OciLayoutStore(new OciLayoutLocation(_temp.Combine("layout"), null, null), new ImageName(null, "app"));
        await layout.WriteAsync(image, ["1"], default);
        await layout.WriteAsync(other, ["2"], default);
        var sbom = Sbom(image);

        await layout.WriteAsync(sbom, [], default);
        await layout.WriteAsync(sbom, [], default);

        Assert.Equal(sbom.Digest.ToString(), Assert.Single(await layout.ReferrersAsync(image.Descriptor, default)).Digest);
        Assert.Empty(await layout.ReferrersAsync(other.Descriptor, default));
    }

    [Fact]
    public async Task A_copy_with_referrers_carries_them_to_every_store_that_keeps_them()
    {
        var index = ImageIndexBuilder.Build([_images.Image(architecture: "amd64"), _images.Image(architecture: "arm64")]);
        var source = Registry("source");
        await source.WriteAsync(index, ["1"], [], default);
        await source.WriteAsync(Sbom(index.Images[0], "amd64"), [], default);
        await source.WriteAsync(Sbom(index.Images[1], "arm64"), [], default);
        _registry.ReferrersApi = true;   // the destination repository is read through the API, the source wrote tags
        var layout = new OciLayoutStore(new OciLayoutLocation(_temp.Combine("layout"), null, null), new ImageName(null, "app"));
        var archive = new ArchiveStore(new ArchiveLocation(ArchiveFormat.OciArchive, _temp.Combine("app.tar"), null), _context.Cache, new ImageName(null, "app"));
        _registry.ReferrersApi = false;

        await ImageCopy.CopyAsync(source, [layout, Registry("copy"), archive], ["1"], null, default, referrers: true);

        foreach (var image in index.Images)
        {
            Assert.Single(await layout.ReferrersAsync(image.Descriptor, default));
            Assert.Single(await Registry("copy").ReferrersAsync(image.Descriptor, default));
        }
        Assert.Empty(await Registry("copy").ReferrersAsync(index.Descriptor, default));
        Assert.True(File.Exists(_temp.Combine("app.tar")));   // the archive got the index, and no referrers
    }

    [Fact]
    public async Task A_copy_without_referrers_leaves_them_behind()
    {
        var image = _images.Image();
        var source = Registry("source");
        await source.WriteAsync(image, ["1"], default);
        await source.WriteAsync(Sbom(image), [], default);

        await ImageCopy.CopyAsync(source, [Registry("bare")], ["1"], null, default);

        Assert.Empty(await Registry("bare").ReferrersAsync(image.Descriptor, default));
    }
}
