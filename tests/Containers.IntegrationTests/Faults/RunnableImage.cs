using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Containers.IntegrationTests.Infrastructure;
using Containers.Oci.Images;
using Containers.Oci.Model;

namespace Containers.IntegrationTests.Faults;

/// <summary>
/// The smallest image that runs here: this machine's <c>/bin/echo</c> with the libraries it loads, plus some random
/// bytes so the layer is big enough to take many chunks. Its command prints a marker the test checks.
/// </summary>
public static class RunnableImage
{
    public static async Task<IImage> CreateAsync(string directory, string marker, int randomBytes = 1024 * 1024)
    {
        var files = new List<(string ImagePath, string HostPath)> { ("bin/echo", "/bin/echo") };
        var ldd = await ProcessRunner.RunAsync("ldd", "/bin/echo");
        foreach (var line in ldd.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
            var path = line.Contains("=>") ? line.Split("=>")[1].Trim().Split(' ')[0] : line.Split(' ')[0];
            if (path.StartsWith('/')) files.Add((path.TrimStart('/'), path));
        }

        Directory.CreateDirectory(directory);
        var layerPath = Path.Combine(directory, $"runnable-{Guid.NewGuid():N}.tar.gz");
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var folders = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (imagePath, _) in files)
            {
                for (var folder = Path.GetDirectoryName(imagePath); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder)) folders.Add(folder);
            }
            foreach (var folder in folders) writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder + "/") { Mode = Mode(0b111_101_101), ModificationTime = DateTimeOffset.UnixEpoch });
            foreach (var (imagePath, hostPath) in files)
            {
                var real = new FileInfo(hostPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? hostPath;
                await using var content = File.OpenRead(real);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, imagePath) { DataStream = content, Mode = Mode(0b111_101_101), ModificationTime = DateTimeOffset.UnixEpoch });
            }
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "random.bin")
            {
                DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(randomBytes)),
                Mode = Mode(0b110_100_100),
                ModificationTime = DateTimeOffset.UnixEpoch,
            });
        }
        var diffId = Digest.Sha256(tar.ToArray());
        await using (var file = File.Create(layerPath))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            tar.Position = 0;
            await tar.CopyToAsync(gzip);
        }
        var bytes = await File.ReadAllBytesAsync(layerPath);
        var layer = new FileLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length }, diffId.ToString(), layerPath);

        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Entrypoint"] = new JsonArray("/bin/echo"), ["Cmd"] = new JsonArray(marker) },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layer.DiffId) },
        };
        var configBytes = OciJson.Serialize(config);
        var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(configBytes).ToString(), Size = configBytes.Length };
        return Containers.Oci.Images.Image.Create(new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = [layer.Descriptor] }, configBytes, config, [layer]);
    }

    private static UnixFileMode Mode(int bits) => (UnixFileMode)bits;
}
