using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Content;
using Containers.Oci.Errors;
using Containers.Oci.Stores;
using Containers.Oci.Model;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Sources;

/// <summary>Base images from layouts and archives written the way other tools write them.</summary>
public sealed class LocalSourceTests : IDisposable
{
    private static readonly Platform LinuxAmd64 = new("amd64", "linux");
    private static readonly Platform LinuxArm64 = new("arm64", "linux", "v8");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ContentCache Cache => new(_temp.Combine("cache"));

    /// <summary>An OCI layout by hand: one gzip layer per platform, a manifest each, an index over them, named in index.json.</summary>
    private (string Folder, Dictionary<string, Digest> Manifests) MultiPlatformLayout(string name)
    {
        var folder = _temp.Combine("layout");
        Directory.CreateDirectory(Path.Combine(folder, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(folder, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        Descriptor Put(byte[] bytes, string mediaType)
        {
            var digest = Digest.Sha256(bytes);
            File.WriteAllBytes(Path.Combine(folder, "blobs", "sha256", digest.Encoded), bytes);
            return new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = bytes.Length };
        }

        var manifests = new Dictionary<string, Digest>();
        var entries = new List<Descriptor>();
        foreach (var (arch, variant) in new[] { ("amd64", (string?)null), ("arm64", "v8") })
        {
            var tar = SampleImages.Tar(("arch", arch));
            var layer = Put(SampleImages.Gzip(tar), MediaTypes.OciLayerGzip);
            var config = SampleImages.Config([new Containers.Oci.Images.FileLayer(layer, Digest.Sha256(tar).ToString(), "/unused")], arch);
            var manifest = Put(OciJson.Serialize(new ImageManifest { MediaType = MediaTypes.OciManifest, Config = Put(OciJson.Serialize(config), MediaTypes.OciConfig), Layers = [layer] }), MediaTypes.OciManifest);
            manifests[arch] = manifest.ParsedDigest;
            entries.Add(manifest with { Platform = new Platform(arch, "linux", variant) });
        }
        var index = Put(OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries }), MediaTypes.OciIndex);
        // As podman writes it: no mediaType at the top, the full name as ref name.
        File.WriteAllText(Path.Combine(folder, "index.json"), new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(JsonNode.Parse(OciJson.Serialize(index with { Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = name } }))),
        }.ToJsonString());
        return (folder, manifests);
    }

    [Fact]
    public async Task ALayout_ChoosesTheManifestForThePlatform_ThroughItsIndex()
    {
        var (folder, manifests) = MultiPlatformLayout("localhost/base:1.0");

        var amd = await new OciLayoutStore(new OciLayoutLocation(folder, "base:1.0", null)).ReadImageAsync(LinuxAmd64, null, default);
        var arm = await new OciLayoutStore(new OciLayoutLocation(folder, null, null)).ReadImageAsync(LinuxArm64, "linux-arm64", default);

        Assert.Equal(manifests["amd64"], amd.Digest);
        Assert.Equal(manifests["arm64"], arm.Digest);
        Assert.Equal("arm64", arm.Config["architecture"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALayout_WithoutTheName_OrThePlatform_SaysWhatItHas()
    {
        var (folder, _) = MultiPlatformLayout("base:1.0");

        var name = await Assert.ThrowsAsync<ContainerException>(() => new OciLayoutStore(new OciLayoutLocation(folder, "other:2.0", null)).ReadImageAsync(LinuxAmd64, null, default));
        var platform = await Assert.ThrowsAsync<ContainerException>(() => new OciLayoutStore(new OciLayoutLocation(folder, null, null)).ReadImageAsync(new Platform("s390x", "linux"), "linux-s390x", default));

        Assert.Equal(ErrorCatalogue.BaseImageNotInSource.Code, name.Code);
        Assert.Contains("'base:1.0'", name.Message);
        Assert.Equal(ErrorCatalogue.BaseImagePlatformNotFound.Code, platform.Code);
        Assert.Contains("linux/arm64/v8", platform.Message);
    }

    [Fact]
    public async Task ALayoutBlob_ThatWasTamperedWith_IsNeverUsed()
    {
        var (folder, manifests) = MultiPlatformLayout("base:1.0");
        var image = await new OciLayoutStore(new OciLayoutLocation(folder, null, null)).ReadImageAsync(LinuxAmd64, null, default);
        var layerPath = Path.Combine(folder, "blobs", "sha256", image.Manifest.Layers[0].ParsedDigest.Encoded);
        var bytes = File.ReadAllBytes(layerPath);
        bytes[10] ^= 0xff;
        File.WriteAllBytes(layerPath, bytes);

        var error = await Assert.ThrowsAsync<ContainerException>(() => image.Layers[0].OpenAsync(default));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, error.Code);
    }

    /// <summary>A docker-archive as classic <c>docker save</c> writes it: plain tar layers in folders, a repeated layer as a symlink.</summary>
    private string ClassicDockerArchive(out byte[] layer, string? diffIdOverride = null)
    {
        layer = SampleImages.Tar(("hello.txt", "hello"));
        var diffId = diffIdOverride ?? Digest.Sha256(layer).ToString();
        var config = OciJson.Serialize(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId, diffId) },
        });
        var path = _temp.Combine("classic.tar");
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Ustar);
        void Add(string name, byte[] bytes) => tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        Add("aaaa/layer.tar", layer);
        tar.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "bbbb/layer.tar") { LinkName = "../aaaa/layer.tar" });
        Add("cfg.json", config);
        Add("manifest.json", Encoding.UTF8.GetBytes("""[{"Config":"cfg.json","RepoTags":["base:1.0"],"Layers":["aaaa/layer.tar","bbbb/layer.tar"]}]"""));
        return path;
    }

    [Fact]
    public async Task AClassicDockerArchive_GivesPlainTarLayers_NamedForWhatTheyAre()
    {
        var path = ClassicDockerArchive(out var layer);

        var image = await new ArchiveStore(new ArchiveLocation(ArchiveFormat.DockerArchive, path, "docker.io/library/base:1.0"), Cache).ReadImageAsync(LinuxAmd64, null, default);

        Assert.Equal(MediaTypes.DockerManifest, image.Manifest.MediaType);
        Assert.Equal(2, image.Manifest.Layers.Count);
        Assert.All(image.Manifest.Layers, l => Assert.Equal((MediaTypes.DockerLayer, Digest.Sha256(layer).ToString(), (long)layer.Length), (l.MediaType, l.Digest, l.Size)));
        await using var blob = await image.Layers[1].OpenAsync(default);
        Assert.Equal(Digest.Sha256(layer), await Digest.Sha256Async(blob));
    }

    [Fact]
    public async Task ADockerArchiveLayer_ThatIsNotItsDiffId_IsRejected()
    {
        var path = ClassicDockerArchive(out _, diffIdOverride: "sha256:" + new string('0', 64));

        var error = await Assert.ThrowsAsync<ContainerException>(() => new ArchiveStore(new ArchiveLocation(ArchiveFormat.DockerArchive, path, null), Cache).ReadImageAsync(LinuxAmd64, null, default));

        Assert.Equal(ErrorCatalogue.DigestMismatch.Code, error.Code);
    }

    [Fact]
    public async Task TheWrongArchiveScheme_SaysWhichOneItIs()
    {
        var path = ClassicDockerArchive(out _);

        var error = await Assert.ThrowsAsync<ContainerException>(() => new ArchiveStore(new ArchiveLocation(ArchiveFormat.OciArchive, path, null), Cache).ReadImageAsync(LinuxAmd64, null, default));

        Assert.Equal(ErrorCatalogue.BaseImageUnreadable.Code, error.Code);
        Assert.Contains("docker-archive:", error.Message);
    }

    [Fact]
    public async Task AFileThatIsNotATar_IsACodedError()
    {
        var path = _temp.WriteFile("notes.tar", new string('x', 2000));

        var error = await Assert.ThrowsAsync<ContainerException>(() => new ArchiveStore(new ArchiveLocation(ArchiveFormat.OciArchive, path, null), Cache).ReadImageAsync(LinuxAmd64, null, default));

        Assert.Equal(ErrorCatalogue.BaseImageUnreadable.Code, error.Code);
    }
}
