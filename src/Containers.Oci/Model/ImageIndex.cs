using System.Text.Json.Serialization;

namespace Containers.Oci.Model;

/// <summary>An image index (OCI) or manifest list (Docker): one manifest per platform.</summary>
public sealed record ImageIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }
    [JsonPropertyName("manifests")] public required IReadOnlyList<Descriptor> Manifests { get; init; }

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The manifest for <paramref name="platform"/>, preferring an exact variant match; null when there is none.</summary>
    public Descriptor? FindManifest(Platform platform)
    {
        var candidates = Manifests.Where(m => m.Platform is not null && platform.IsSatisfiedBy(m.Platform)).ToList();
        return candidates.FirstOrDefault(m => m.Platform!.Variant == platform.Variant) ?? candidates.FirstOrDefault();
    }
}
