using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Images;
using Containers.Oci.Layers;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Publishing;
using Containers.Oci.Stores;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Layering;

public sealed class LayeringInputsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(null, LayeringMode.Auto)]
    [InlineData("", LayeringMode.Auto)]
    [InlineData("auto", LayeringMode.Auto)]
    [InlineData(" Single ", LayeringMode.Single)]
    public void Layering_IsAutoOrSingle_CaseInsensitive(string? text, LayeringMode expected)
        => Assert.Equal(expected, LayerInputs.ParseLayering(text));

    [Fact]
    public void UnknownLayering_IsError5013()
        => Assert.Equal(ErrorCatalogue.InvalidLayering.Code, Assert.Throws<ContainerException>(() => LayerInputs.ParseLayering("Many")).Code);

    [Theory]
    [InlineData(null, LayerCompression.Gzip)]
    [InlineData("GZIP", LayerCompression.Gzip)]
    [InlineData("zstd", LayerCompression.Zstd)]
    public void Compression_IsGzipOrZstd(string? text, LayerCompression expected)
        => Assert.Equal(expected, LayerInputs.ParseCompression(text));

    [Fact]
    public void UnknownCompression_IsError5014()
        => Assert.Equal(ErrorCatalogue.InvalidCompression.Code, Assert.Throws<ContainerException>(() => LayerInputs.ParseCompression("brotli")).Code);

    [Fact]
    public void AnExtraLayer_ParsesOctalModeAndOwner()
    {
        var file = _temp.WriteFile("settings.conf", "x");

        var layer = LayerInputs.ParseExtraLayer(file, "/etc/app/settings.conf", "0640", "1654:1655");

        Assert.Equal(new ExtraLayer(file, "/etc/app/settings.conf", 0b110_100_000, 1654, 1655), layer);
    }

    [Theory]
    [InlineData("missing.conf", "/etc/x", null, null)]
    [InlineData("settings.conf", "", null, null)]
    [InlineData("settings.conf", "etc/relative", null, null)]
    [InlineData("settings.conf", "/etc/../escape", null, null)]
    [InlineData("settings.conf", "/", null, null)]
    [InlineData("settings.conf", "//./", null, null)]
    [InlineData("settings.conf", "/etc\\x", null, null)]
    [InlineData("settings.conf", "/etc/x", "0999", null)]
    [InlineData("settings.conf", "/etc/x", "rwx", null)]
    [InlineData("settings.conf", "/etc/x", null, "app")]
    [InlineData("settings.conf", "/etc/x", null, "1:2:3")]
    public void ABadExtraLayer_IsError5015(string source, string target, string? mode, string? owner)
    {
        _temp.WriteFile("settings.conf", "x");

        var error = Assert.Throws<ContainerException>(() => LayerInputs.ParseExtraLayer(_temp.Combine(source), target, mode, owner));

        Assert.Equal(ErrorCatalogue.InvalidExtraLayer.Code, error.Code);
    }

    [Theory]
    [InlineData("1000", null, 1000, 1000)]
    [InlineData("1000:2000", null, 1000, 2000)]
    [InlineData(null, "1654", 1654, 1654)]
    public void TheAppOwner_IsTheNumericUser_ElseTheBasesAppUid(string? user, string? appUid, int uid, int gid)
        => Assert.Equal((uid, gid), LayerStage.ResolveUser(user, Base(appUid)));

    [Theory]
    [InlineData("app", "1654")]
    [InlineData(null, null)]
    public void ANamedOrMissingUser_ForAnOwnedAppFolder_IsError5011(string? user, string? appUid)
        => Assert.Equal(ErrorCatalogue.AppOwnerNotNumeric.Code, Assert.Throws<ContainerException>(() => LayerStage.ResolveUser(user, Base(appUid))).Code);

    [Fact]
    public void Zstd_ForcesAnOciManifest_OnADockerBase()
    {
        var request = Request(LayerCompression.Zstd, manifestMediaType: null);

        Assert.Equal(MediaTypes.OciManifest, ContainerPublisher.ManifestMediaType(request, Base(null, MediaTypes.DockerManifest)));
    }

    [Fact]
    public void Zstd_WithAnExplicitDockerFormat_IsError5012()
    {
        var request = Request(LayerCompression.Zstd, MediaTypes.DockerManifest);

        var error = Assert.Throws<ContainerException>(() => ContainerPublisher.ManifestMediaType(request, Base(null)));

        Assert.Equal(ErrorCatalogue.ZstdNeedsOci.Code, error.Code);
    }

    [Fact]
    public void Gzip_FollowsTheBasesManifestType_WhenNoneIsAsked()
        => Assert.Equal(MediaTypes.DockerManifest, ContainerPublisher.ManifestMediaType(Request(LayerCompression.Gzip, null), Base(null, MediaTypes.DockerManifest)));

    /// <summary>Issue 12: a Docker manifest listing the base's zstd layers could be pulled by neither podman nor skopeo.</summary>
    [Fact]
    public void AZstdBase_WithAnExplicitDockerFormat_IsError5501()
    {
        var request = Request(LayerCompression.Gzip, MediaTypes.DockerManifest);

        var error = Assert.Throws<ContainerException>(() => ContainerPublisher.ManifestMediaType(request, Base(null, layerTypes: [MediaTypes.OciLayerGzip, MediaTypes.OciLayerZstd])));

        Assert.Equal(ErrorCatalogue.BaseZstdNeedsOci.Code, error.Code);
        Assert.Contains("localhost:5000/base:1", error.Message);
    }

    [Fact]
    public void AZstdBase_WithADockerManifest_AndNoFormatAsked_GivesOci()
        => Assert.Equal(MediaTypes.OciManifest, ContainerPublisher.ManifestMediaType(Request(LayerCompression.Gzip, null),
            Base(null, MediaTypes.DockerManifest, [MediaTypes.OciLayerZstd])));

    [Fact]
    public void AGzipBase_WithAnExplicitDockerFormat_StaysDocker()
        => Assert.Equal(MediaTypes.DockerManifest, ContainerPublisher.ManifestMediaType(Request(LayerCompression.Gzip, MediaTypes.DockerManifest),
            Base(null, layerTypes: [MediaTypes.DockerLayerGzip])));

    private static IImage Base(string? appUid, string manifestType = MediaTypes.OciManifest, string[]? layerTypes = null)
    {
        var env = new JsonArray { "PATH=/usr/bin" };
        if (appUid is not null) env.Add($"APP_UID={appUid}");
        var layers = (layerTypes ?? []).Select((type, i) => new Descriptor { MediaType = type, Digest = Digest.Sha256([(byte)(i + 2)]).ToString(), Size = 1 }).ToList();
        var diffIds = new JsonArray(layers.Select(l => (JsonNode)JsonValue.Create(l.Digest)).ToArray());
        var config = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux", ["config"] = new JsonObject { ["Env"] = env }, ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds } };
        var manifest = new ImageManifest { MediaType = manifestType, Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256([1]).ToString(), Size = 1 }, Layers = layers };
        return SampleImages.FromParts(manifest, config);
    }

    private static ContainerPublishRequest Request(LayerCompression compression, string? manifestMediaType) => new()
    {
        BaseImage = ImageReference.Parse("localhost:5000/base:1"),
        Platform = new Platform("amd64", "linux"),
        RuntimeIdentifier = "linux-x64",
        PublishDirectory = "/nowhere",
        AppDirectory = "/app/",
        Settings = new ImageSettings { ManifestMediaType = manifestMediaType },
        Destination = ImageDestination.Registry(ImageReference.Parse("localhost:5000/app")),
        Tags = ["latest"],
        WorkDirectory = "/nowhere",
        Compression = compression,
    };
}
