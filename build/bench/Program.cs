using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Containers.Oci.Destinations;
using Containers.Oci.Images;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

// Usage: Containers.Bench REGISTRY FILE [REPOSITORY]
// Pushes FILE as the one layer of an image to REGISTRY/REPOSITORY:bench, and prints one line of JSON: the size, the
// push time and throughput (hashing the file beforehand is not counted) and this process's peak memory (VmHWM).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Containers.Bench REGISTRY FILE [REPOSITORY]");
    return 2;
}
var (registry, file) = (args[0], args[1]);
var repository = args.Length > 2 ? args[2] : "bench/push";

var size = new FileInfo(file).Length;
Digest digest;
await using (var stream = File.OpenRead(file)) digest = await Digest.Sha256Async(stream);
var layer = new ImageLayer(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest.ToString(), Size = size }, digest.ToString(), file);

var config = OciJson.Serialize(new JsonObject
{
    ["architecture"] = "amd64",
    ["os"] = "linux",
    ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layer.DiffId) },
});
var configDescriptor = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256(config).ToString(), Size = config.Length };
var manifest = OciJson.Serialize(new ImageManifest { MediaType = MediaTypes.OciManifest, Config = configDescriptor, Layers = [layer.Descriptor] });
var image = new BuiltImage(manifest, MediaTypes.OciManifest, Digest.Sha256(manifest), config, configDescriptor, [layer], null);

using var clients = new RegistryClientProvider();
var clock = Stopwatch.StartNew();
var result = await new RegistryDestination(clients).PushAsync(image, new ImageReference(registry, repository), ["bench"]);
var seconds = clock.Elapsed.TotalSeconds;

Console.WriteLine(new JsonObject
{
    ["bytes"] = size,
    ["seconds"] = Math.Round(seconds, 2),
    ["mibPerSecond"] = Math.Round(size / (1024.0 * 1024) / seconds, 1),
    ["bytesUploaded"] = result.BytesUploaded,
    ["peakRssMiB"] = PeakRssMiB(),
    ["chunkSize"] = Environment.GetEnvironmentVariable(RegistryEnvironment.ChunkSize) ?? "default (32M)",
}.ToJsonString());
return 0;

// VmHWM: the most resident memory this process ever had.
static double PeakRssMiB()
{
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    var kib = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    return Math.Round(kib / 1024.0, 1);
}
