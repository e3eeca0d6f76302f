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
    public ImageLayer Layer(params (string Path, string Text)[] files)
    {
        var tar = Tar(files);
        var gz = Gzip(tar);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"layer-{Guid.NewGuid():N}.tar.gz");
        File.WriteAllBytes(path, gz);
        return new ImageLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(gz).ToString(), Size = gz.Length },
            Digest.Sha256(tar).ToString(), path);
    }

    public static JsonObject Config(IEnumerable<ImageLayer> layers, string architecture = "amd64") => new()
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
    public BuiltImage Image(bool docker = false, int layers = 2, string architecture = "amd64")
    {
        var imageLayers = Enumerable.Range(0, layers).Select(i => Layer(($"file{i}.txt", $"content {i}"))).ToList();
        return Build(imageLayers, docker, architecture);
    }

    public static BuiltImage Build(IReadOnlyList<ImageLayer> layers, bool docker = false, string architecture = "amd64")
    {
        var configBytes = OciJson.Serialize(Config(layers, architecture));
        var configDescriptor = new Descriptor
        {
            MediaType = docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
            Digest = Digest.Sha256(configBytes).ToString(),
            Size = configBytes.Length,
        };
        var manifestType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var manifest = new ImageManifest
        {
            MediaType = manifestType,
            Config = configDescriptor,
            Layers = layers.Select(l => l.Descriptor with { MediaType = docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip }).ToList(),
        };
        var manifestBytes = OciJson.Serialize(manifest);
        return new BuiltImage(manifestBytes, manifestType, Digest.Sha256(manifestBytes), configBytes, configDescriptor, layers, null);
    }
}
