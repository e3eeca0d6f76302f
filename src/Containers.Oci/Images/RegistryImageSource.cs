using Containers.Oci.Errors;
using Containers.Oci.Model;
using Containers.Oci.Names;
using Containers.Oci.Images.Sources;
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

        var source = reference.ToString();
        if (manifest.IsIndex)
        {
            var index = ImageDocuments.Parse<ImageIndex>(manifest.Content, $"{manifest.MediaType} document", source);
            var chosen = ImageDocuments.ChoosePlatform(index, platform, runtimeIdentifier, source);
            manifest = await client.GetManifestAsync(reference.Repository, chosen.Digest, cancellationToken).ConfigureAwait(false);
        }
        if (!manifest.IsManifest)
        {
            throw ErrorCatalogue.UnrecognizedMediaType.ToException(manifest.MediaType.Length == 0 ? "(none)" : manifest.MediaType, reference);
        }

        var imageManifest = ImageDocuments.Parse<ImageManifest>(manifest.Content, $"{manifest.MediaType} document", source);
        var configBytes = await client.GetBlobBytesAsync(reference.Repository, imageManifest.Config, cancellationToken).ConfigureAwait(false);
        var config = ImageDocuments.ParseConfig(configBytes, source);
        ImageDocuments.CheckPlatform(config, platform, runtimeIdentifier, source);
        return new BaseImage(reference, imageManifest, manifest.Digest, config);
    }
}
