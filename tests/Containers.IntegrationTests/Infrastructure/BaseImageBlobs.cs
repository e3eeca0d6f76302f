using System.Text.Json.Nodes;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>The blobs of a (single-manifest) base image in the test registry, as skopeo reads its manifest.</summary>
public static class BaseImageBlobs
{
    public static async Task<IReadOnlyList<string>> LayersAsync(string reference)
    {
        var manifest = JsonNode.Parse(await Skopeo.InspectRawAsync(reference))!;
        return manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()).ToList();
    }

    /// <summary>What a publish that copies the base keeps in the content cache: its layers and its config.</summary>
    public static async Task<IReadOnlyList<string>> CachedAsync(string reference)
    {
        var manifest = JsonNode.Parse(await Skopeo.InspectRawAsync(reference))!;
        return [.. await LayersAsync(reference), manifest["config"]!["digest"]!.GetValue<string>()];
    }
}
