using Containers.Oci.Content;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Images;

/// <summary>A layer whose blob is a file on this machine: one we wrote, or one the layer cache kept.</summary>
public sealed record FileLayer(Descriptor Descriptor, string DiffId, string Path) : ILayer
{
    public bool IsLocal => true;

    public ImageReference? MountSource => null;

    public string Origin => "this build";

    // Read sequentially in big chunks: a layer is sent once, front to back.
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(ContentCache.OpenRead(Path));

    public ILayer WithDescriptor(Descriptor descriptor) => this with { Descriptor = descriptor };
}
