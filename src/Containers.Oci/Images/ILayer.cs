using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Images;

/// <summary>
/// One layer of an image, wherever the image came from: its descriptor (compressed digest, size, media type), its diff
/// id (the digest of the uncompressed tar), and its bytes, opened on demand and verified as they are read. A store
/// never has to work out where a layer's bytes are: the layer knows.
/// </summary>
public interface ILayer
{
    Descriptor Descriptor { get; }

    /// <summary>The digest of the uncompressed tar, as the config's <c>rootfs.diff_ids</c> lists it.</summary>
    string DiffId { get; }

    /// <summary>True when the bytes are on this machine already (a layer we wrote, a layout's blob), so reading is cheap.</summary>
    bool IsLocal { get; }

    /// <summary>A registry repository that holds this blob, so a push to another repository of that registry can mount it.</summary>
    ImageReference? MountSource { get; }

    /// <summary>Where the bytes come from, for the build log (e.g. "the base image").</summary>
    string Origin { get; }

    /// <summary>Opens the compressed bytes; they are checked against the descriptor before or while they are read.</summary>
    Task<Stream> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens the compressed bytes for one read that keeps nothing behind: a registry's blob is streamed (verified as it is
    /// read, so the reader must read to the end to know) instead of being stored in the content cache first. For a layer
    /// that nothing else on this machine will read, such as a base layer scanned for the SBOM that the push only mounts.
    /// </summary>
    Task<Stream> ReadOnceAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>The same bytes under another descriptor (Docker and OCI name the same gzip layer differently).</summary>
    ILayer WithDescriptor(Descriptor descriptor);
}
