using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>
/// Tiny but valid images made in the test itself: gzipped tar layers on disk, a config with matching diff ids, and an
/// OCI manifest. Each layer holds a random marker file, so no two tests share a blob unless they mean to.
/// </summary>
public sealed class TestImages(string directory)
{
    /// <summary>Writes a layer with the given files (path → text) plus a unique marker; returns it with its local path.</summary>
    public FileLayer Layer(params (string Path, string Text)[] files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in files.Append(($"marker-{Guid.NewGuid():N}", "unique")))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                writer.WriteEntry(entry);
            }
        }
        var diffId = Digest.Sha256(tar.ToArray());

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"layer-{Guid.NewGuid():N}.tar.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            tar.Position = 0;
            tar.CopyTo(gzip);
        }
        var bytes = File.ReadAllBytes(path);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };
        return new FileLayer(descriptor, diffId.ToString(), path);
    }

    /// <summary>An image of <paramref name="layers"/> in order (base layers may be read from elsewhere) for a platform.</summary>
    public static IImage Image(IReadOnlyList<ILayer> layers, string architecture = "amd64", string os = "linux")
    {
        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = os,
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/true") },
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray(layers.Select(l => (JsonNode)JsonValue.Create(l.DiffId)).ToArray()),
            },
        };
        var configBytes = OciJson.Serialize(config);
        var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length };
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = layers.Select(l => l.Descriptor).ToList() };
        return Containers.Oci.Images.Image.Create(manifest, configBytes, config, layers);
    }

    /// <summary>An OCI index over already-built images, each entry carrying its platform.</summary>
    public static byte[] Index(params (IImage Image, Platform Platform)[] entries)
        => OciJson.Serialize(new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = entries.Select(e => e.Image.Descriptor with { Platform = e.Platform }).ToList(),
        });
}
