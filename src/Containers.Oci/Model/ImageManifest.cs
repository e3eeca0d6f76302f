using System.Text.Json.Serialization;

namespace Containers.Oci.Model;

/// <summary>An image manifest (OCI or Docker v2 schema 2; the two share this shape).</summary>
public sealed record ImageManifest
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }
    [JsonPropertyName("config")] public required Descriptor Config { get; init; }

    /// <summary>OCI 1.1: what kind of artifact this manifest is, when it is not a runnable image (an SBOM, a signature).</summary>
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("layers")] public required IReadOnlyList<Descriptor> Layers { get; init; }

    /// <summary>OCI 1.1: the manifest this one refers to (an SBOM's image), which makes this one a referrer of it.</summary>
    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
