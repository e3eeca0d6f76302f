using System.Text.Json;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Registry;

namespace Containers.Oci.Images;

/// <summary>
/// Reads a base image from a registry for one platform: the manifest (through the index when the tag is multi-platform)
/// and the config. Layers are not downloaded: a push links or copies them registry to registry.
/// </summary>
public sealed class RegistryImageSource(RegistryClientProvider clients)
{
    public Task<BaseImage> ReadAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken = default)
        => ReadAsync(reference, platform, runtimeIdentifier: null, cancellationToken);

    /// <param name="runtimeIdentifier">Only named in the error when the platform is missing; defaults to the platform.</param>
    public async Task<BaseImage> ReadAsync(ImageReference reference, Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken = default)
    {
        var client = clients.Get(reference.Registry);
        var manifest = await client.GetManifestAsync(reference.Repository, reference.TagOrDigest, cancellationToken).ConfigureAwait(false);

        if (manifest.IsIndex)
        {
            var index = Parse<ImageIndex>(manifest, reference);
            var chosen = index.FindManifest(platform) ?? throw ErrorCatalogue.BaseImagePlatformNotFound.ToException(
                reference, platform, runtimeIdentifier ?? platform.ToString(), Available(index));
            manifest = await client.GetManifestAsync(reference.Repository, chosen.Digest, cancellationToken).ConfigureAwait(false);
        }
        if (!manifest.IsManifest)
        {
            throw ErrorCatalogue.UnrecognizedMediaType.ToException(manifest.MediaType.Length == 0 ? "(none)" : manifest.MediaType, reference);
        }

        var imageManifest = Parse<ImageManifest>(manifest, reference);
        var configBytes = await client.GetBlobBytesAsync(reference.Repository, imageManifest.Config, cancellationToken).ConfigureAwait(false);
        var config = ParseConfig(configBytes, reference);
        Sources.ImageDocuments.CheckPlatform(config, platform, runtimeIdentifier, reference.ToString());
        return new BaseImage(reference, imageManifest, manifest.Digest, config);
    }

    private static string Available(ImageIndex index)
    {
        var platforms = index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()).Distinct().ToList();
        return platforms.Count == 0 ? "no platform information" : string.Join(", ", platforms);
    }

    private static T Parse<T>(RegistryManifest manifest, ImageReference reference)
    {
        try
        {
            return OciJson.Deserialize<T>(manifest.Content);
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, reference, $"its {manifest.MediaType} document is not valid ({e.Message.TrimEnd('.')})");
        }
    }

    private static JsonObject ParseConfig(byte[] bytes, ImageReference reference)
    {
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("The config is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw ErrorCatalogue.ManifestPullFailed.ToException(e, reference, $"its config is not valid JSON ({e.Message.TrimEnd('.')})");
        }
    }
}
