using Containers.Oci.Content;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Images;

/// <summary>
/// A layer read from an image store: its bytes come from the store's <see cref="IBlobSource"/> (the content cache in
/// front of a registry, a layout folder, blobs imported from an archive), which verifies them.
/// </summary>
/// <param name="Origin">Where the bytes come from, for the build log.</param>
/// <param name="MountSource">The registry repository holding the blob, when the store is one.</param>
public sealed record BlobLayer(Descriptor Descriptor, string DiffId, IBlobSource Blobs, string Origin, bool IsLocal = false, ImageReference? MountSource = null) : ILayer
{
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Blobs.OpenAsync(Descriptor, cancellationToken);

    public Task<Stream> ReadOnceAsync(CancellationToken cancellationToken) => Blobs.ReadOnceAsync(Descriptor, cancellationToken);

    public ILayer WithDescriptor(Descriptor descriptor) => this with { Descriptor = descriptor };
}
