using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Images;

public class ImageBuilderTests
{
    private static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const string BaseLayerDigest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string NewLayerDigest = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string NewDiffId = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private static IImage Base(string manifestMediaType, string layerMediaType) => SampleImages.FromParts(
        Manifest(manifestMediaType, layerMediaType),
        ImageConfigBuilderTests.AspNetBase(),
        ImageReference.Parse("mcr.microsoft.com/dotnet/aspnet"));

    private static ImageManifest Manifest(string manifestMediaType, string layerMediaType) => new()
    {
        MediaType = manifestMediaType,
        Config = new Descriptor { MediaType = MediaTypes.IsDocker(manifestMediaType) ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Digest = "sha256:" + new string('d', 64), Size = 10 },
        Layers = [new Descriptor { MediaType = layerMediaType, Digest = BaseLayerDigest, Size = 1000 }],
    };

    private static readonly (ILayer Layer, string Description)[] NewLayers =
    [
        (new FileLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = NewLayerDigest, Size = 42 }, NewDiffId, "/blobs/b"), "app"),
    ];

    private static readonly ImageSettings Settings = new()
    {
        Entrypoint = ["dotnet", "/app/App.dll"],
        WorkingDirectory = "/app/",
        Created = Created,
    };

    private static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void Build_DockerBase_GivesADockerManifest_WithEveryLayerInDockerMediaType()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings);
        var manifest = OciJson.Deserialize<ImageManifest>(image.RawManifest);

        Assert.Equal(MediaTypes.DockerManifest, image.MediaType);
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        Assert.Equal([BaseLayerDigest, NewLayerDigest], manifest.Layers.Select(l => l.Digest));
        Assert.Equal([1000L, 42L], manifest.Layers.Select(l => l.Size));
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.MediaType));
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.Descriptor.MediaType));
    }

    [Fact]
    public void Build_OciRequestedOverADockerBase_ConvertsEveryLayerToOciMediaType()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers,
            Settings with { ManifestMediaType = MediaTypes.OciManifest });
        var manifest = OciJson.Deserialize<ImageManifest>(image.RawManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
    }

    [Fact]
    public void Build_OciBase_KeepsOciMediaTypes()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);
        var manifest = OciJson.Deserialize<ImageManifest>(image.RawManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
    }

    [Fact]
    public void Build_ConfigDescriptor_IsTheDigestAndSizeOfTheConfigBytes_AndTheManifestDigestOfTheManifestBytes()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);
        var manifest = OciJson.Deserialize<ImageManifest>(image.RawManifest);

        Assert.Equal(Sha256(image.RawConfig), image.Manifest.Config.Digest);
        Assert.Equal(image.RawConfig.Length, image.Manifest.Config.Size);
        Assert.Equal(image.Manifest.Config, manifest.Config);
        Assert.Equal(Sha256(image.RawManifest), image.Digest.ToString());
        Assert.Equal(image.RawManifest.Length, image.Descriptor.Size);
        Assert.Equal(image.Digest.ToString(), image.Descriptor.Digest);
    }

    [Fact]
    public void Build_ConfigDiffIds_LineUpWithTheManifestsLayers()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);
        var config = JsonNode.Parse(image.RawConfig)!;

        Assert.Equal([ImageConfigBuilderTests.AspNetBase()["rootfs"]!["diff_ids"]![0]!.GetValue<string>(), NewDiffId],
            config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal([null, "/blobs/b"], image.Layers.Select(l => (l as FileLayer)?.Path));
        Assert.Equal(["mcr.microsoft.com/dotnet/aspnet", null], image.Layers.Select(l => l.MountSource?.ToString()));
    }

    [Fact]
    public void Build_SameInputs_GiveTheSameBytes()
    {
        var one = ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings);
        var two = ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings);

        Assert.Equal(one.RawConfig, two.RawConfig);
        Assert.Equal(one.RawManifest, two.RawManifest);
        Assert.Equal(one.Digest, two.Digest);
    }

    [Fact]
    public void Build_WritesCompactJson()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);

        Assert.DoesNotContain((byte)'\n', image.RawManifest);
        Assert.DoesNotContain((byte)'\n', image.RawConfig);
        Assert.StartsWith("{\"schemaVersion\":2,\"mediaType\":", Encoding.UTF8.GetString(image.RawManifest));
    }

    [Fact]
    public void Build_DockerManifest_MatchesGolden()
        => GoldenFile.AssertMatches("manifest-docker",
            Encoding.UTF8.GetString(ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings).RawManifest));

    [Fact]
    public void Build_OciManifest_MatchesGolden()
        => GoldenFile.AssertMatches("manifest-oci",
            Encoding.UTF8.GetString(ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings).RawManifest));

    [Fact]
    public void BaseImage_WithMismatchedDiffIds_IsACodedErrorWhenRead()
    {
        var config = ImageConfigBuilderTests.AspNetBase();
        config["rootfs"]!["diff_ids"] = new JsonArray();

        var error = Assert.Throws<ContainerException>(() => SampleImages.FromParts(Manifest(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), config));

        Assert.Equal(ErrorCatalogue.BaseImageUnreadable.Code, error.Code);
        Assert.Contains("0 diff ids for 1 layers", error.Message);
    }

    [Theory]
    [InlineData("""{"rootfs":{"diff_ids":"sha256:abc"}}""")]
    [InlineData("""{"rootfs":{"diff_ids":[42]}}""")]
    [InlineData("""{"rootfs":{"diff_ids":["not-a-digest"]}}""")]
    public void BaseImage_WhoseDiffIdsAreNotDigests_IsACodedErrorWhenRead(string configJson)
    {
        var config = (JsonObject)JsonNode.Parse(configJson)!;

        var error = Assert.Throws<ContainerException>(() => SampleImages.FromParts(Manifest(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), config));

        Assert.Equal(ErrorCatalogue.BaseImageUnreadable.Code, error.Code);
    }

    // Found by ImageConfigPropertyTests: JsonNode reads strings lazily, so half a surrogate pair threw
    // InvalidOperationException wherever the config was first read (its platform, its labels), not a coded error.
    [Theory]
    [InlineData("""{"os":"\ud800","architecture":"amd64"}""")]
    [InlineData("""{"config":{"Labels":{"\ud800":"x"}}}""")]
    [InlineData("""{"history":[{"created_by":"\udc00x"}]}""")]
    public void BaseImage_WhoseConfigEscapesHalfASurrogatePair_IsACodedErrorWhenRead(string configJson)
    {
        var error = Assert.Throws<ContainerException>(() => ImageDocuments.ParseConfig(Encoding.UTF8.GetBytes(configJson), "base"));

        Assert.Equal(ErrorCatalogue.ManifestPullFailed.Code, error.Code);
        Assert.Contains("surrogate", error.Message);
    }

    // Found by ImageConfigPropertyTests: a JsonObject with a name twice threw ArgumentException when first read.
    [Theory]
    [InlineData("""{"os":"linux","os":"linux"}""")]
    [InlineData("""{"config":{"Labels":{"a":"1","\u0061":"2"}}}""")]
    public void BaseImage_WhoseConfigHasANameTwice_IsACodedErrorWhenRead(string configJson)
    {
        var error = Assert.Throws<ContainerException>(() => ImageDocuments.ParseConfig(Encoding.UTF8.GetBytes(configJson), "base"));

        Assert.Equal(ErrorCatalogue.ManifestPullFailed.Code, error.Code);
    }

    // Found by OciLayoutPropertyTests: a null list passed the deserializer, then threw NullReferenceException.
    [Fact]
    public void A_manifest_or_index_with_null_for_its_list_is_a_coded_error()
    {
        var manifest = Encoding.UTF8.GetBytes($$"""{"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"sha256:{{new string('a', 64)}}","size":2},"layers":null}""");

        Assert.Equal(ErrorCatalogue.ManifestPullFailed, Assert.Throws<ContainerException>(() => ImageDocuments.Parse<ImageManifest>(manifest, "manifest", "base")).Error);
        Assert.Equal(ErrorCatalogue.ManifestPullFailed, Assert.Throws<ContainerException>(() => ImageDocuments.Parse<LayoutIndex>("{\"manifests\":null}"u8.ToArray(), "index.json", "base")).Error);
        Assert.Equal(ErrorCatalogue.ManifestPullFailed, Assert.Throws<ContainerException>(() => ImageDocuments.Parse<ImageIndex>(Encoding.UTF8.GetBytes($"{{\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":null}}"), "index", "base")).Error);
    }

    [Fact]
    public void BaseImage_WithOddlyTypedFields_StillBuilds()
    {
        var config = ImageConfigBuilderTests.AspNetBase();
        config["config"]!["User"] = 1654;
        config["config"]!["Env"] = new JsonArray(7, "A=b");
        config["os"] = 12;
        var baseImage = SampleImages.FromParts(Manifest(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), config);

        var image = ImageBuilder.Build(baseImage, NewLayers, Settings);

        Assert.Null(baseImage.Platform);
        Assert.Contains("A=b", image.Config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
    }
}
