using System.Text;
using Containers.Oci.Model;

namespace Containers.Oci.Tests.Registry.InMemory;

/// <summary>Blobs and manifests for the in-memory registry tests: deterministic bytes, their descriptors, minimal OCI documents.</summary>
internal static class TestContent
{
    public const string Host = "registry.test";

    /// <summary><paramref name="size"/> bytes that differ with <paramref name="seed"/>, so no two test blobs share a digest.</summary>
    public static byte[] Bytes(int size, int seed = 1)
    {
        var random = new Random(seed);
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    public static Descriptor Describe(byte[] content, string mediaType = MediaTypes.OciLayerGzip)
        => new() { MediaType = mediaType, Digest = Digest.Sha256(content).ToString(), Size = content.Length };

    public static byte[] Config(string architecture = "amd64")
        => Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");

    public static byte[] Manifest(Descriptor config, params Descriptor[] layers)
        => OciJson.Serialize(new ImageManifest { MediaType = MediaTypes.OciManifest, Config = config, Layers = layers });

    public static byte[] Index(params Descriptor[] manifests)
        => OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests });

    public static Stream Open(byte[] content) => new MemoryStream(content, writable: false);
}
