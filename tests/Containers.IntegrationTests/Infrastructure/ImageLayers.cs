using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>One entry of a layer as `tar -tv` prints it.</summary>
public sealed record TarEntry(string Path, string Mode, string Owner, string Date);

/// <summary>An image copied out of the registry with skopeo, its layers listed with the system tar: two independent tools.</summary>
public sealed class ImageLayers : IDisposable
{
    private readonly TempDirectory _folder = new("containers-it-layers-");

    private ImageLayers() { }

    public JsonNode Manifest { get; private set; } = null!;

    public IReadOnlyList<string> LayerDigests => Manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();

    public IReadOnlyList<string> LayerMediaTypes => Manifest["layers"]!.AsArray().Select(l => l!["mediaType"]!.GetValue<string>()).ToList();

    public static async Task<ImageLayers> CopyAsync(string image)
    {
        var layers = new ImageLayers();
        await Skopeo.RunAsync("copy", "--src-tls-verify=false", "docker://" + image, "dir:" + layers._folder.Path);
        layers.Manifest = JsonNode.Parse(await File.ReadAllTextAsync(layers._folder.Combine("manifest.json")))!;
        return layers;
    }

    /// <summary>Lists layer <paramref name="index"/> (negative counts from the end) with numeric owners and full times.</summary>
    public async Task<IReadOnlyDictionary<string, TarEntry>> ListAsync(int index)
    {
        var digests = LayerDigests;
        var digest = digests[index < 0 ? digests.Count + index : index];
        var blob = _folder.Combine(digest.Split(':')[1]);
        var decompress = LayerMediaTypes[digests.ToList().IndexOf(digest)].EndsWith("zstd", StringComparison.Ordinal) ? "--zstd" : "-z";
        var listing = await ProcessRunner.RunAsync("tar", "--numeric-owner", "--full-time", decompress, "-tvf", blob);
        return listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(parts => new TarEntry(parts[5], parts[0], parts[1], parts[3]))
            .ToDictionary(e => e.Path, StringComparer.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
