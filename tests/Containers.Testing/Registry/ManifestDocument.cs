using System.Text.Json;

namespace Containers.Testing.Registry;

/// <summary>A descriptor inside a manifest, as far as the registry cares: what it points at, and whether it lives elsewhere.</summary>
internal sealed record ManifestReference(string MediaType, string Digest, long Size, bool IsForeign);

/// <summary>
/// The parts of an image manifest or index that a registry reads: what it references (config, layers, child manifests),
/// its subject and artifact type (for the referrers API). Read with <see cref="JsonDocument"/>, not the engine's model,
/// so a model bug cannot hide itself.
/// </summary>
internal sealed class ManifestDocument
{
    private ManifestDocument() { }

    public string? MediaType { get; private init; }

    public string? ArtifactType { get; private init; }

    public ManifestReference? Config { get; private init; }

    public IReadOnlyList<ManifestReference> Layers { get; private init; } = [];

    /// <summary>An index's entries: manifests the repository must already hold.</summary>
    public IReadOnlyList<ManifestReference> Manifests { get; private init; } = [];

    public ManifestReference? Subject { get; private init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; private init; }

    /// <summary>The document, or null with <paramref name="problem"/> saying why it is no manifest.</summary>
    public static ManifestDocument? TryParse(byte[] content, out string problem)
    {
        problem = "";
        try
        {
            using var json = JsonDocument.Parse(content);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 2)
            {
                problem = "not a schema version 2 manifest";
                return null;
            }
            return new ManifestDocument
            {
                MediaType = String(root, "mediaType"),
                ArtifactType = String(root, "artifactType"),
                Config = root.TryGetProperty("config", out var config) ? Reference(config) : null,
                Layers = References(root, "layers"),
                Manifests = References(root, "manifests"),
                Subject = root.TryGetProperty("subject", out var subject) ? Reference(subject) : null,
                Annotations = Strings(root, "annotations"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            problem = "invalid JSON or descriptor: " + e.Message;
            return null;
        }
    }

    /// <summary>Everything that must exist in the repository before this manifest may: blobs, and an index's manifests.</summary>
    public IEnumerable<ManifestReference> RequiredBlobs
        => (Config is null ? Layers : Layers.Prepend(Config)).Where(r => !r.IsForeign);

    private static ManifestReference Reference(JsonElement element)
        => new(element.GetProperty("mediaType").GetString()!, element.GetProperty("digest").GetString()!, element.GetProperty("size").GetInt64(),
            element.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0);

    private static IReadOnlyList<ManifestReference> References(JsonElement root, string name)
        => root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(Reference)] : [];

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string>? Strings(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : null;
}
