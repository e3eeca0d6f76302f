using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Model;

namespace Containers.Oci.Images;

/// <summary>Parsing the JSON documents of local image stores, with every failure a coded error naming the store.</summary>
internal static class ImageDocuments
{
    public static T Parse<T>(byte[] json, string what, string source)
    {
        T document;
        try
        {
            document = OciJson.Deserialize<T>(json);
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, source, $"its {what} is not valid ({e.Message.TrimEnd('.')})");
        }
        // "layers": null or "manifests": null passes the deserializer (a list is a reference), and nothing after this expects it.
        IEnumerable<Descriptor>? named = document switch
        {
            ImageManifest m => m.Layers?.Prepend(m.Config),
            ImageIndex i => i.Manifests,
            LayoutIndex l => l.Manifests,
            _ => [],
        };
        if (named is null)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(source, $"its {what} has null where its list of {(document is ImageManifest ? "layers" : "manifests")} belongs");
        }
        // Every digest is checked once here, so nothing later can fail on one with an unhandled format error.
        foreach (var descriptor in named)
        {
            if (descriptor is null || !Model.Digest.TryParse(descriptor.Digest, out _))
            {
                throw ErrorCatalogue.ManifestPullFailed.ToException(source, $"its {what} names an invalid digest '{descriptor?.Digest}'");
            }
        }
        return document;
    }

    // A JsonObject with a name twice throws ArgumentException when first read; refused while parsing, it is a JsonException.
    private static readonly JsonDocumentOptions NoDuplicateNames = new() { AllowDuplicateProperties = false };

    public static JsonObject ParseConfig(byte[] json, string source)
    {
        try
        {
            var config = JsonNode.Parse(json, documentOptions: NoDuplicateNames) as JsonObject ?? throw new JsonException("The config is not a JSON object.");
            ReadEveryString(config);
            return config;
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, source, $"its config is not valid JSON ({e.Message.TrimEnd('.')})");
        }
        catch (InvalidOperationException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, source, "its config is not valid JSON (a string escapes half of a UTF-16 surrogate pair)");
        }
    }

    /// <summary>
    /// A JsonNode reads its names and strings when first asked, and one escaping half a surrogate pair (<c>"\ud800"</c>)
    /// then throws InvalidOperationException, wherever that is. Each is read once here, while parsing.
    /// </summary>
    private static void ReadEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj) ReadEveryString(value);
                break;
            case JsonArray array:
                foreach (var item in array) ReadEveryString(item);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
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

    /// <summary>The platform an image's config declares, for index entries; null when it names no os or architecture.</summary>
    public static Platform? PlatformOf(JsonObject config)
    {
        var os = Text(config["os"]);
        var architecture = Text(config["architecture"]);
        return os is null || architecture is null ? null : new Platform(architecture, os, Text(config["variant"]));
    }

    /// <summary>The diff ids of a config's rootfs, in layer order; a coded error when they are not a list of digests.</summary>
    public static IReadOnlyList<string> DiffIds(JsonObject config, string source)
    {
        if (config["rootfs"] is not JsonObject rootfs || rootfs["diff_ids"] is not { } node) return [];
        var ids = node as JsonArray;
        var texts = ids?.Select(Text).ToList();
        if (texts is null || texts.Any(t => !Model.Digest.TryParse(t, out _)))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, "its config's rootfs.diff_ids is not a list of digests");
        }
        return texts.Select(t => t!).ToList();
    }

    /// <summary>A JSON string's value; null for anything else (a number, an object, nothing), so odd configs never throw.</summary>
    public static string? Text(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
