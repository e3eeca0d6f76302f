using Containers.Oci.Errors;
using Containers.Oci.Formats;
using Containers.Oci.Model;

namespace Containers.Oci.Images.Sources;

/// <summary>A base image in an OCI layout folder (<c>oci-layout:/path[:name|@digest]</c>). Its layers are read in place.</summary>
public sealed class OciLayoutSource(OciLayoutLocation location) : IImageSource
{
    public async Task<BaseImage> ReadAsync(Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken)
    {
        var source = location.ToString();
        if (!Directory.Exists(location.Path)) throw ErrorCatalogue.BaseImageUnreadable.ToException(source, "the folder does not exist");
        var indexPath = Path.Combine(location.Path, OciLayout.IndexFile);
        if (!File.Exists(indexPath))
        {
            throw ErrorCatalogue.BaseImageUnreadable.ToException(source, $"the folder has no {OciLayout.IndexFile}, so it is not an OCI image layout");
        }

        var blobs = new OciLayoutBlobs(location.Path, source);
        var reader = new OciLayoutReader(source, blobs.ReadAllAsync);
        var indexJson = await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false);
        var (manifest, digest, config) = await reader.ReadAsync(indexJson, location.Name, location.Digest, platform, runtimeIdentifier, cancellationToken).ConfigureAwait(false);
        return new BaseImage(null, manifest, digest, config) { Blobs = blobs };
    }
}
