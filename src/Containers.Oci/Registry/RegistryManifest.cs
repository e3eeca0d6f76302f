using Containers.Oci.Model;

namespace Containers.Oci.Registry;

/// <summary>A manifest or index as the registry sent it: the exact bytes, their media type and their digest.</summary>
public sealed record RegistryManifest(byte[] Content, string MediaType, Digest Digest)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public bool IsManifest => MediaTypes.IsManifest(MediaType);

    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest.ToString(), Size = Content.Length };
}
