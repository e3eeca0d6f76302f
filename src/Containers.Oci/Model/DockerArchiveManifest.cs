using System.Text.Json.Serialization;

namespace Containers.Oci.Model;

/// <summary>
/// One entry of a docker-archive's <c>manifest.json</c> (what <c>docker save</c> writes and <c>docker load</c> reads):
/// the config file, the names, and the layer files in order. Layer files may be plain or gzip-compressed tars.
/// </summary>
public sealed record DockerArchiveManifest
{
    public const string FileName = "manifest.json";

    [JsonPropertyName("Config")] public required string Config { get; init; }

    [JsonPropertyName("RepoTags")] public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")] public required IReadOnlyList<string> Layers { get; init; }
}
