using System.Text.Json.Nodes;
using Containers.IntegrationTests.Destinations;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Images;
using Containers.Oci.Stores;

namespace Containers.IntegrationTests.Stores;

/// <summary>
/// <see cref="ImageCopy"/> between every pair of real stores: the registry, the same registry by its other name, an
/// OCI layout folder, an archive file and podman. What arrives is read back with skopeo and podman, never with the
/// engine: a registry, layout or archive shows the source's exact manifest (or index) digest; podman, which
/// re-compresses layers, shows the source's config digest as its image id.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ImageCopyTests(RegistryFixture registry, LocalImagesFixture local, ImageCopySources sources)
    : IClassFixture<LocalImagesFixture>, IClassFixture<ImageCopySources>
{
    private const string Greeting = "Hello from ConsoleApp in a container: user=app";

    public static TheoryData<StoreKind, StoreKind> ImagePairs()
    {
        var pairs = new TheoryData<StoreKind, StoreKind>();
        foreach (var from in Enum.GetValues<StoreKind>())
        {
            foreach (var to in Enum.GetValues<StoreKind>()) pairs.Add(from, to);
        }
        return pairs;
    }

    /// <summary>podman holds no index, so it is no source of one.</summary>
    public static TheoryData<StoreKind, StoreKind> IndexPairs()
    {
        var pairs = new TheoryData<StoreKind, StoreKind>();
        foreach (var from in Enum.GetValues<StoreKind>().Where(k => k != StoreKind.Podman))
        {
            foreach (var to in Enum.GetValues<StoreKind>()) pairs.Add(from, to);
        }
        return pairs;
    }

    private async Task<CopyPlace> CopyAsync(CopyPlace from, StoreKind to)
    {
        var target = CopyPlace.Fresh(to, registry, sources.Temp);
        if (to == StoreKind.Podman) local.RemoveLater(target.PodmanName);
        await ImageCopy.CopyAsync(from.Open(sources.Context), [target.Open(sources.Context)], [CopyPlace.Tag], null, CancellationToken.None);
        return target;
    }

    [Theory]
    [MemberData(nameof(ImagePairs))]
    public async Task AnImage_Copied_IsTheSameImageInTheTarget(StoreKind from, StoreKind to)
    {
        var seeded = await sources.GetAsync(registry, local);
        var image = seeded.Image;

        var target = await CopyAsync(seeded.ImageAt[from], to);

        if (to == StoreKind.Podman)
        {
            Assert.Equal(image.Manifest.Config.Digest, await target.PodmanConfigDigestAsync());
            return;
        }
        var raw = await target.RawManifestAsync(sources.Temp);
        if (from == StoreKind.Podman)
        {
            // podman saved the image with layers of its own compression: the same config, so the same image, under another manifest.
            var manifest = JsonNode.Parse(raw)!;
            Assert.Equal(image.Manifest.Config.Digest, manifest["config"]!["digest"]!.GetValue<string>());
            Assert.Equal(image.Layers.Count, manifest["layers"]!.AsArray().Count);
            if (to == StoreKind.Registry) await AssertPodmanRunsAsync(target.Address);
            return;
        }
        Assert.Equal(image.Digest, Oci.Model.Digest.Sha256(raw));
        Assert.Equal(image.RawManifest, raw);
    }

    [Theory]
    [MemberData(nameof(IndexPairs))]
    public async Task AnIndex_Copied_IsTheSameIndexInTheTarget_OrTheHostsImageInPodman(StoreKind from, StoreKind to)
    {
        var seeded = await sources.GetAsync(registry, local);
        var index = seeded.Index;

        var target = await CopyAsync(seeded.IndexAt[from], to);

        if (to == StoreKind.Podman)
        {
            var host = index.Images.Single(i => i.Platform!.Architecture == "amd64");
            Assert.Equal(host.Manifest.Config.Digest, await target.PodmanConfigDigestAsync());
            return;
        }
        var raw = await target.RawManifestAsync(sources.Temp);
        Assert.Equal(index.Digest, Oci.Model.Digest.Sha256(raw));
        var entries = JsonNode.Parse(raw)!["manifests"]!.AsArray();
        Assert.Equal(index.Images.Select(i => i.Digest.ToString()), entries.Select(e => e!["digest"]!.GetValue<string>()));
        Assert.Equal(["amd64", "arm64"], entries.Select(e => e!["platform"]!["architecture"]!.GetValue<string>()));
        if (from == StoreKind.Archive && to == StoreKind.LoopbackRegistry) await AssertPodmanRunsAsync(target.Address);
    }

    /// <summary>podman pulls the copy from the registry (for an index, its own platform's image) and runs it.</summary>
    private async Task AssertPodmanRunsAsync(string reference)
    {
        local.RemoveLater(reference);
        await Podman.PullAsync(reference);
        Assert.Contains(Greeting, await Podman.RunAsync(reference));
    }
}
