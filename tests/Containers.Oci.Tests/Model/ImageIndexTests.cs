using Containers.Oci.Model;

namespace Containers.Oci.Tests.Model;

public class ImageIndexTests
{
    private static Descriptor Manifest(string id, Platform? platform) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = "sha256:" + new string(id[0], 64),
        Size = 1,
        Platform = platform,
    };

    private static ImageIndex Index(params Descriptor[] manifests) => new() { MediaType = MediaTypes.OciIndex, Manifests = manifests };

    [Fact]
    public void FindManifest_PrefersTheExactVariant_EvenWhenAVariantlessOneComesFirst()
    {
        var index = Index(
            Manifest("a", new Platform("amd64", "linux")),
            Manifest("b", new Platform("arm64", "linux")),
            Manifest("c", new Platform("arm64", "linux", "v8")));

        Assert.Same(index.Manifests[2], index.FindManifest(new Platform("arm64", "linux", "v8")));
    }

    [Fact]
    public void FindManifest_AManifestWithoutAVariant_ServesAPlatformWithOne()
    {
        var index = Index(Manifest("a", new Platform("amd64", "linux")), Manifest("b", new Platform("arm64", "linux")));

        Assert.Same(index.Manifests[1], index.FindManifest(new Platform("arm64", "linux", "v8")));
    }

    [Fact]
    public void FindManifest_PicksTheRequestedArmVariant()
    {
        var index = Index(Manifest("a", new Platform("arm", "linux", "v6")), Manifest("b", new Platform("arm", "linux", "v7")));

        Assert.Same(index.Manifests[1], index.FindManifest(new Platform("arm", "linux", "v7")));
    }

    [Fact]
    public void FindManifest_NoMatchingOsArchitectureOrVariant_ReturnsNull()
    {
        var index = Index(
            Manifest("a", new Platform("amd64", "windows")),
            Manifest("b", new Platform("arm64", "linux")),
            Manifest("c", new Platform("arm", "linux", "v6")),
            Manifest("d", null));

        Assert.Null(index.FindManifest(new Platform("amd64", "linux")));
        Assert.Null(index.FindManifest(new Platform("arm", "linux", "v7")));
    }

    [Fact]
    public void Deserialize_ADockerManifestList_FindsThePlatformManifest()
    {
        var json = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":10,"platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":20,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
            """u8;

        var index = OciJson.Deserialize<ImageIndex>(json);

        Assert.True(MediaTypes.IsIndex(index.MediaType));
        Assert.Equal("sha256:" + new string('2', 64), index.FindManifest(new Platform("arm64", "linux", "v8"))!.Digest);
        Assert.Equal(20, index.FindManifest(new Platform("arm64", "linux"))!.Size);
    }
}
