using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.Oci.Tests.Support;

/// <summary>
/// Small, valid images made on disk for tests of archives, layouts and the cache: gzip layers with real diff ids,
/// a config that lists them, an OCI or Docker manifest. Each layer holds a marker, so no two layers are the same blob.
/// </summary>
public sealed class SampleImages(string directory)
{
    /// <summary>Uncompressed tar bytes with the given files, and a unique marker.</summary>
    public static byte[] Tar(params (string Path, string Text)[] files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, text) in files.Append(($"marker-{Guid.NewGuid():N}", "unique")))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                });
            }
        }
        return tar.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return output.ToArray();
    }

    /// <summary>A gzip layer on disk, with its local path.</summary>
    public FileLayer Layer(params (string Path, string Text)[] files)
    {
        var tar = Tar(files);
        var gz = Gzip(tar);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"layer-{Guid.NewGuid():N}.tar.gz");
        File.WriteAllBytes(path, gz);
        return new FileLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(gz).ToString(), Size = gz.Length },
            Digest.Sha256(tar).ToString(), path);
    }

    public static JsonObject Config(IEnumerable<ILayer> layers, string architecture = "amd64") => new()
    {
        ["architecture"] = architecture,
        ["os"] = "linux",
        ["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/true") },
        ["rootfs"] = new JsonObject
        {
            ["type"] = "layers",
            ["diff_ids"] = new JsonArray(layers.Select(l => (JsonNode)JsonValue.Create(l.DiffId)).ToArray()),
        },
    };

    /// <summary>A built image of local layers, OCI or Docker.</summary>
    public IImage Image(bool docker = false, int layers = 2, string architecture = "amd64")
    {
        var imageLayers = Enumerable.Range(0, layers).Select(i => (ILayer)Layer(($"file{i}.txt", $"content {i}"))).ToList();
        return Build(imageLayers, docker, architecture);
    }

    public static IImage Build(IReadOnlyList<ILayer> layers, bool docker = false, string architecture = "amd64")
    {
        var config = Config(layers, architecture);
        var configBytes = OciJson.Serialize(config);
        var configDescriptor = new Descriptor
        {
            MediaType = docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
            Digest = Digest.Sha256(configBytes).ToString(),
            Size = configBytes.Length,
        };
        var manifestType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var typed = layers.Select(l => l.WithDescriptor(l.Descriptor with { MediaType = docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip })).ToList();
        var manifest = new ImageManifest
        {
            MediaType = manifestType,
            Config = configDescriptor,
            Layers = typed.Select(l => l.Descriptor).ToList(),
        };
        return Containers.Oci.Images.Image.Create(manifest, configBytes, config, typed);
    }

    /// <summary>
    /// An image made of a manifest and a config as given (a base image for pure tests); its layers name no bytes, and
    /// say they can be mounted from <paramref name="mountFrom"/> when set.
    /// </summary>
    public static IImage FromParts(ImageManifest manifest, JsonObject config, Containers.Oci.Names.ImageReference? mountFrom = null)
    {
        var rawConfig = OciJson.Serialize(config);
        var raw = OciJson.Serialize(manifest);
        return Containers.Oci.Images.Image.Read(manifest, raw, Digest.Sha256(raw), rawConfig, config, "the test image",
            (descriptor, diffId) => new BlobLayer(descriptor, diffId, NoBlobs.Instance, "the test image", MountSource: mountFrom));
    }

    /// <summary>A blob source for images whose layers are never read.</summary>
    private sealed class NoBlobs : Containers.Oci.Content.IBlobSource
    {
        public static readonly NoBlobs Instance = new();

        public Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken)
            => throw new InvalidOperationException($"The test read layer {descriptor.Digest}, which has no bytes.");
    }
}
