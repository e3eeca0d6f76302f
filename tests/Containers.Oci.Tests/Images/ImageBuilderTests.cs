using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
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

    private static BaseImage Base(string manifestMediaType, string layerMediaType) => new(
        ImageReference.Parse("mcr.microsoft.com/dotnet/aspnet:10.0"),
        new ImageManifest
        {
            MediaType = manifestMediaType,
            Config = new Descriptor { MediaType = MediaTypes.IsDocker(manifestMediaType) ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Digest = "sha256:" + new string('d', 64), Size = 10 },
            Layers = [new Descriptor { MediaType = layerMediaType, Digest = BaseLayerDigest, Size = 1000 }],
        },
        Digest.Parse("sha256:" + new string('e', 64)),
        ImageConfigBuilderTests.AspNetBase());

    private static readonly (ImageLayer Layer, string Description)[] NewLayers =
    [
        (new ImageLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = NewLayerDigest, Size = 42 }, NewDiffId, "/blobs/b"), "app"),
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
        var manifest = OciJson.Deserialize<ImageManifest>(image.Manifest);

        Assert.Equal(MediaTypes.DockerManifest, image.ManifestMediaType);
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
        var manifest = OciJson.Deserialize<ImageManifest>(image.Manifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
    }

    [Fact]
    public void Build_OciBase_KeepsOciMediaTypes()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);
        var manifest = OciJson.Deserialize<ImageManifest>(image.Manifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
    }

    [Fact]
    public void Build_ConfigDescriptor_IsTheDigestAndSizeOfTheConfigBytes_AndTheManifestDigestOfTheManifestBytes()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);
        var manifest = OciJson.Deserialize<ImageManifest>(image.Manifest);

        Assert.Equal(Sha256(image.Config), image.ConfigDescriptor.Digest);
        Assert.Equal(image.Config.Length, image.ConfigDescriptor.Size);
        Assert.Equal(image.ConfigDescriptor, manifest.Config);
        Assert.Equal(Sha256(image.Manifest), image.ManifestDigest.ToString());
        Assert.Equal(image.Manifest.Length, image.ManifestDescriptor.Size);
        Assert.Equal(image.ManifestDigest.ToString(), image.ManifestDescriptor.Digest);
    }

    [Fact]
    public void Build_ConfigDiffIds_LineUpWithTheManifestsLayers()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);
        var config = JsonNode.Parse(image.Config)!;

        Assert.Equal([ImageConfigBuilderTests.AspNetBase()["rootfs"]!["diff_ids"]![0]!.GetValue<string>(), NewDiffId],
            config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal([null, "/blobs/b"], image.Layers.Select(l => l.LocalPath));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", image.BaseReference!.ToString());
    }

    [Fact]
    public void Build_SameInputs_GiveTheSameBytes()
    {
        var one = ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings);
        var two = ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings);

        Assert.Equal(one.Config, two.Config);
        Assert.Equal(one.Manifest, two.Manifest);
        Assert.Equal(one.ManifestDigest, two.ManifestDigest);
    }

    [Fact]
    public void Build_WritesCompactJson()
    {
        var image = ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings);

        Assert.DoesNotContain((byte)'\n', image.Manifest);
        Assert.DoesNotContain((byte)'\n', image.Config);
        Assert.StartsWith("{\"schemaVersion\":2,\"mediaType\":", Encoding.UTF8.GetString(image.Manifest));
    }

    [Fact]
    public void Build_DockerManifest_MatchesGolden()
        => GoldenFile.AssertMatches("manifest-docker",
            Encoding.UTF8.GetString(ImageBuilder.Build(Base(MediaTypes.DockerManifest, MediaTypes.DockerLayerGzip), NewLayers, Settings).Manifest));

    [Fact]
    public void Build_OciManifest_MatchesGolden()
        => GoldenFile.AssertMatches("manifest-oci",
            Encoding.UTF8.GetString(ImageBuilder.Build(Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip), NewLayers, Settings).Manifest));

    [Fact]
    public void BaseImage_WithMismatchedDiffIds_IsRejected()
    {
        var baseImage = Base(MediaTypes.OciManifest, MediaTypes.OciLayerGzip);
        baseImage.Config["rootfs"]!["diff_ids"] = new JsonArray();

        Assert.Throws<InvalidDataException>(() => ImageBuilder.Build(baseImage, NewLayers, Settings));
    }
}
