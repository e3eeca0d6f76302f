using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Images;

public class ImageIndexBuilderTests
{
    /// <summary>A built image with nothing but a config that states its platform: all the index builder reads.</summary>
    internal static IImage ImageFor(string architecture, string? variant = null, bool docker = false)
    {
        var config = new JsonObject { ["architecture"] = architecture, ["os"] = "linux", ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() } };
        if (variant is not null) config["variant"] = variant;
        var configBytes = OciJson.Serialize(config);
        var configDescriptor = new Descriptor
        {
            MediaType = docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
            Digest = Digest.Sha256(configBytes).ToString(),
            Size = configBytes.Length,
        };
        var manifestType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        return Containers.Oci.Images.Image.Create(new ImageManifest { MediaType = manifestType, Config = configDescriptor, Layers = [] }, configBytes, config, []);
    }

    [Fact]
    public void Build_OciImages_GivesAnOciIndex_WithEachImagesPlatformFromItsConfig()
    {
        var amd64 = ImageFor("amd64");
        var arm64 = ImageFor("arm64", "v8");

        var index = ImageIndexBuilder.Build([amd64, arm64]);
        var parsed = OciJson.Deserialize<ImageIndex>(index.RawManifest);

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(MediaTypes.OciIndex, parsed.MediaType);
        Assert.Equal(2, parsed.SchemaVersion);
        Assert.Equal([amd64.Digest.ToString(), arm64.Digest.ToString()], parsed.Manifests.Select(m => m.Digest));
        Assert.Equal([amd64.RawManifest.Length, arm64.RawManifest.Length], parsed.Manifests.Select(m => (int)m.Size));
        Assert.Equal(new Platform("amd64", "linux"), parsed.Manifests[0].Platform);
        Assert.Equal(new Platform("arm64", "linux", "v8"), parsed.Manifests[1].Platform);
        Assert.Equal(Digest.Sha256(index.RawManifest), index.Digest);
        Assert.Same(amd64, index.Images[0]);
    }

    [Fact]
    public void Build_OciImages_MatchesTheGoldenIndex()
    {
        var index = ImageIndexBuilder.Build([ImageFor("amd64"), ImageFor("arm64", "v8")]);
        GoldenFile.AssertMatches("index-oci", System.Text.Encoding.UTF8.GetString(index.RawManifest));
    }

    [Fact]
    public void Build_DockerImages_GivesADockerManifestList()
    {
        var index = ImageIndexBuilder.Build([ImageFor("amd64", docker: true), ImageFor("arm", "v7", docker: true)]);

        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        var parsed = OciJson.Deserialize<ImageIndex>(index.RawManifest);
        Assert.Equal(MediaTypes.DockerManifestList, parsed.MediaType);
        Assert.All(parsed.Manifests, m => Assert.Equal(MediaTypes.DockerManifest, m.MediaType));
        Assert.Equal(new Platform("arm", "linux", "v7"), parsed.Manifests[1].Platform);
    }

    [Fact]
    public void Build_MixedManifestTypes_GivesAnOciIndex()
    {
        var index = ImageIndexBuilder.Build([ImageFor("amd64", docker: true), ImageFor("arm64", "v8")]);
        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
    }

    [Fact]
    public void Build_SameImagesTwice_GivesTheSameBytesAndDigest()
    {
        var first = ImageIndexBuilder.Build([ImageFor("amd64"), ImageFor("arm64", "v8")]);
        var second = ImageIndexBuilder.Build([ImageFor("amd64"), ImageFor("arm64", "v8")]);

        Assert.Equal(first.RawManifest, second.RawManifest);
        Assert.Equal(first.Digest, second.Digest);
    }

    [Fact]
    public void Build_TwoImagesForOnePlatform_IsACodedError()
    {
        var error = Assert.Throws<ContainerException>(() => ImageIndexBuilder.Build([ImageFor("amd64"), ImageFor("amd64")]));
        Assert.Equal(ErrorCatalogue.DuplicatePlatform, error.Error);
        Assert.Contains("linux/amd64", error.Message);
    }

    [Fact]
    public void Build_NoImages_IsRefused()
        => Assert.Throws<ArgumentException>(() => ImageIndexBuilder.Build([]));

    [Fact]
    public void Platforms_AreTheConfigsPlatforms_InIndexOrder()
    {
        var index = ImageIndexBuilder.Build([ImageFor("arm64", "v8"), ImageFor("amd64")]);
        Assert.Equal(["linux/arm64/v8", "linux/amd64"], index.Platforms.Select(p => p.ToString()));
    }
}
