namespace Containers.Oci.Images.Sources;

/// <summary>
/// A place a base image can be read from: a registry, an OCI layout folder, an archive file, a local engine's store.
/// Each reads the manifest for one platform and the config, and gives the layers' bytes through
/// <see cref="BaseImage.Blobs"/>, so any destination can use a base from any source.
/// </summary>
public interface IImageSource
{
    /// <param name="runtimeIdentifier">Only named in the error when the platform is missing.</param>
    Task<BaseImage> ReadAsync(Model.Platform platform, string? runtimeIdentifier, CancellationToken cancellationToken);
}
