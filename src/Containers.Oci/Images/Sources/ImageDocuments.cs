using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Images.Sources;

/// <summary>Parsing the JSON documents of local image stores, with every failure a coded error naming the store.</summary>
internal static class ImageDocuments
{
    /// <summary>An index.json as layouts write it: <c>mediaType</c> is optional there (podman leaves it out).</summary>
    public sealed record LayoutIndex
    {
        [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
        [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; init; }
        [JsonPropertyName("manifests")] public IReadOnlyList<Descriptor> Manifests { get; init; } = [];
        [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }

        public ImageIndex ToIndex() => new() { MediaType = MediaType ?? MediaTypes.OciIndex, Manifests = Manifests, Annotations = Annotations };
    }

    public static T Parse<T>(byte[] json, string what, string source)
    {
        try
        {
            return OciJson.Deserialize<T>(json);
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, source, $"its {what} is not valid ({e.Message.TrimEnd('.')})");
        }
    }

    public static JsonObject ParseConfig(byte[] json, string source)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new JsonException("The config is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, source, $"its config is not valid JSON ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>The manifest of an index for <paramref name="platform"/>, or CONTAINER1011 listing what the index has.</summary>
    public static Descriptor ChoosePlatform(ImageIndex index, Platform platform, string? runtimeIdentifier, string source)
    {
        if (index.FindManifest(platform) is { } chosen) return chosen;
        var platforms = index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()).Distinct().ToList();
        throw ErrorCatalogue.BaseImagePlatformNotFound.ToException(source, platform, runtimeIdentifier ?? platform.ToString(),
            platforms.Count == 0 ? "no platform information" : string.Join(", ", platforms));
    }

    /// <summary>
    /// CONTAINER1011 when a single-platform image declares another platform than the one asked for (an amd64-only
    /// base for linux-arm64), instead of building an image that cannot run. A config without os/architecture passes.
    /// </summary>
    public static void CheckPlatform(JsonObject config, Platform platform, string? runtimeIdentifier, string source)
    {
        if (PlatformOf(config) is { } declared && !platform.IsSatisfiedBy(declared))
        {
            throw ErrorCatalogue.BaseImagePlatformNotFound.ToException(source, platform, runtimeIdentifier ?? platform.ToString(), declared);
        }
    }

    /// <summary>The platform an image's config declares, for index entries.</summary>
    public static Platform? PlatformOf(JsonObject config)
    {
        var os = config["os"]?.GetValue<string>();
        var architecture = config["architecture"]?.GetValue<string>();
        return os is null || architecture is null ? null : new Platform(architecture, os, config["variant"]?.GetValue<string>());
    }

    /// <summary>The diff ids of a config's rootfs, in layer order.</summary>
    public static IReadOnlyList<string> DiffIds(JsonObject config)
        => config["rootfs"]?["diff_ids"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
}
