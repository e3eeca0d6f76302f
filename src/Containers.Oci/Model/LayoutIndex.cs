using System.Text.Json.Serialization;

namespace Containers.Oci.Model;

/// <summary>An index.json as layouts write it: <c>mediaType</c> is optional there (podman leaves it out).</summary>
public sealed record LayoutIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; init; }
    [JsonPropertyName("manifests")] public IReadOnlyList<Descriptor> Manifests { get; init; } = [];
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public ImageIndex ToIndex() => new() { MediaType = MediaType ?? MediaTypes.OciIndex, Manifests = Manifests, Annotations = Annotations };
}
