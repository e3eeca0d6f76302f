using Containers.Oci.Model;

namespace Containers.Oci.Content;

/// <summary>
/// Where the bytes of an image's blobs can be read: the content cache in front of a registry, an OCI layout folder,
/// blobs imported from an archive. Every destination reads base layers through this, wherever the base came from.
/// </summary>
public interface IBlobSource
{
    /// <summary>
    /// Opens the blob <paramref name="descriptor"/> names. The bytes are checked against its digest and size before
    /// the stream is returned or as it is read, so no caller ever consumes content that does not match.
    /// </summary>
    Task<Stream> OpenAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>Opens the blob for one read that stores nothing behind it: a blob that would be downloaded is streamed instead (verified as it is read).</summary>
    Task<Stream> ReadOnceAsync(Descriptor descriptor, CancellationToken cancellationToken) => OpenAsync(descriptor, cancellationToken);
}
