using System.Text.Json.Nodes;
using Containers.Oci.Model;
using Containers.Oci.Names;

namespace Containers.Oci.Images;

/// <summary>
/// Makes OCI 1.1 artifacts (pure): a manifest of the given artifact type, with the empty config, the given blobs as its
/// layers, and a subject, so a registry or layout lists it as one of the subject's referrers (an SBOM of an image).
/// </summary>
public static class ArtifactBuilder
{
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    public static IImage Build(ITaggable subject, string artifactType, IReadOnlyList<(string MediaType, byte[] Content)> blobs, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var layers = blobs.Select(b => (ILayer)new MemoryLayer(new Descriptor { MediaType = b.MediaType, Digest = Digest.Sha256(b.Content).ToString(), Size = b.Content.Length }, b.Content)).ToList();
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = artifactType,
            Config = new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = Digest.Sha256(EmptyConfig).ToString(), Size = EmptyConfig.Length },
            Layers = layers.Select(l => l.Descriptor).ToList(),
            Subject = new Descriptor { MediaType = subject.MediaType, Digest = subject.Descriptor.Digest, Size = subject.Descriptor.Size },
            Annotations = annotations is { Count: > 0 } ? new SortedDictionary<string, string>(annotations.ToDictionary(), StringComparer.Ordinal) : null,
        };
        return Image.Create(manifest, EmptyConfig, new JsonObject(), layers);
    }
}

/// <summary>A small blob held in memory (an SBOM, a signature): it is its own bytes.</summary>
public sealed record MemoryLayer(Descriptor Descriptor, byte[] Content) : ILayer
{
    public string DiffId => Descriptor.Digest;
    public bool IsLocal => true;
    public ImageReference? MountSource => null;
    public string Origin => "this build";

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(Content, writable: false));

    public ILayer WithDescriptor(Descriptor descriptor) => this with { Descriptor = descriptor };
}
